package kr.codeb.mcp.internal;

import kr.codeb.cli.internal.CliExtension;
import kr.codeb.cli.internal.CliServices;

/** Contributes {@code we mcp} to the command line (found by the CLI with ServiceLoader). */
public final class McpExtension implements CliExtension {
  @Override
  public String name() {
    return "mcp";
  }

  @Override
  public Object command(CliServices services) {
    return new McpCommand(services);
  }
}
