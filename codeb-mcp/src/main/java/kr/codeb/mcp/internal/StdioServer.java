package kr.codeb.mcp.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import kr.codeb.cli.internal.CliServices;

/**
 * The MCP server on one pair of streams (the process's stdin and stdout under {@code we mcp}):
 * every tool of {@link Tools}, the SDK's stdio transport, and an {@link InputTap} in front of it
 * that sees cancellations and the end of input. {@link #serve()} returns when the client closes
 * its end.
 */
final class StdioServer {
  /** How long a pooled provider client may stay unused (as in the daemon). */
  private static final Duration POOL_IDLE = Duration.ofSeconds(60);
  /** How long a tool may run before the SDK answers with a timeout (a deploy's worst case). */
  private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(30);

  private final CliServices services;
  private final InputStream in;
  private final OutputStream out;
  private final PrintStream log;

  StdioServer(CliServices services, InputStream in, OutputStream out) {
    this.services = services;
    this.in = in;
    this.out = out;
    this.log = services.err();
  }

  void serve() throws InterruptedException {
    ObjectMapper mapper = new ObjectMapper();
    McpJsonMapper json = new JacksonMcpJsonMapper(mapper);
    Cancellations cancellations = new Cancellations();
    InputTap tap = new InputTap(in, mapper, cancellations, REQUEST_TIMEOUT, log);
    StdioServerTransportProvider transport = new StdioServerTransportProvider(json, tap, out);
    List<CodeBTool> tools = Tools.all();
    ToolRunner runner = new ToolRunner(services, mapper, cancellations, log);
    McpSyncServer server = McpServer.sync(transport)
        .serverInfo(new McpSchema.Implementation("codeb", "CodeB", Version.current()))
        .instructions("CodeB deploys web apps blue-green to a self-hosted fleet. Tools work on"
            + " the SSOT port registry (ssot_*), deploys and slots (deploy, slot_status,"
            + " promote, rollback, health, routes, lock_*), domains (domain_*) and cloud"
            + " firewall rules (firewall_*). Destructive tools need confirm: true.")
        .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
        .requestTimeout(REQUEST_TIMEOUT)
        .validateToolInputs(false) // ToolRunner checks and names the field itself
        .tools(tools.stream().map(runner::specification).toList())
        .build();
    ScheduledExecutorService evictor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "codeb-mcp-pool");
      t.setDaemon(true);
      return t;
    });
    evictor.scheduleWithFixedDelay(() -> services.evictIdle(POOL_IDLE), 1, 1, TimeUnit.SECONDS);
    log.println("we mcp: serving " + tools.size() + " tools on stdio");
    try {
      tap.awaitEnd();
    } finally {
      evictor.shutdownNow();
      server.closeGracefully();
      log.println("we mcp: the client closed the connection; stopped");
    }
  }
}
