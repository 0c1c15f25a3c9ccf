package kr.codeb.mcp.internal;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import kr.codeb.cli.internal.CliServices;
import picocli.CommandLine.Command;

/**
 * {@code we mcp}: the MCP server on standard input and output, until the client closes its end.
 * Standard output carries protocol messages only: before the server starts, {@code System.out}
 * is pointed at standard error, so nothing else in the process can write to the protocol.
 */
@Command(
    name = "mcp", header = "Serve CodeB's operations as MCP tools over stdio.",
    mixinStandardHelpOptions = true,
    description = {"Run the MCP server on standard input and output, for an MCP client (an AI",
        "assistant or an editor) that starts it as its server command. It uses the same",
        "config file, provider URIs and environment variables as every other command.",
        "Logs go to standard error; standard output carries protocol messages only."})
final class McpCommand implements Callable<Integer> {
  private final CliServices services;

  McpCommand(CliServices services) {
    this.services = services;
  }

  @Override
  public Integer call() throws Exception {
    services.checkConfig();
    OutputStream protocol = new FileOutputStream(FileDescriptor.out);
    PrintStream previousOut = System.out;
    System.setOut(System.err);
    try (CliServices owned = services) {
      new StdioServer(owned, new FileInputStream(FileDescriptor.in), protocol).serve();
      return 0;
    } finally {
      System.setOut(previousOut);
    }
  }
}
