package kr.codeb.cli.internal;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import kr.codeb.InputFiles;
import kr.codeb.InvalidRequestException;
import kr.codeb.ports.SsotStore;
import kr.codeb.ssotserver.ServerTokens;
import kr.codeb.ssotserver.SsotServer;
import kr.codeb.ssotserver.SsotServerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code we ssot serve}: the SSOT over HTTP until the process is stopped. */
@Command(
    name = "serve", header = "Serve the SSOT over HTTP to CI runners and other servers.",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {"Listens on loopback by default (put the edge's Caddy with TLS in front).",
        "Requests need a bearer token of `we ssot token create`; runs until stopped."})
final class SsotServeCommand implements Callable<Integer> {
  private final Session session;

  @Option(names = "--listen", paramLabel = "IP:PORT",
      defaultValue = SsotServerConfig.DEFAULT_HOST + ":" + SsotServerConfig.DEFAULT_PORT,
      description = "Address and port to listen on (default: ${DEFAULT-VALUE}).")
  String listen;

  @Option(names = "--tokens", paramLabel = "FILE",
      description = "The token file (env " + SsotTokenCommand.TOKENS_VARIABLE + "; default "
          + SsotTokenCommand.DEFAULT_TOKENS + ").")
  Path tokens;

  @Option(names = "--rate", paramLabel = "N", defaultValue = "50",
      description = "Requests per second per token before 429 (default: ${DEFAULT-VALUE}).")
  int rate;

  @Option(names = "--max-body", paramLabel = "BYTES", defaultValue = "16384",
      description = "The largest request body (default: ${DEFAULT-VALUE}).")
  int maxBody;

  @Option(names = "--write-log", paramLabel = "FILE",
      description = "Append the JSON line of each write here (default: stdout).")
  Path writeLog;

  SsotServeCommand(Session session) {
    this.session = session;
  }

  @Override
  public Integer call() throws Exception {
    if (session.pool() != null) {
      throw new InvalidRequestException("`we ssot serve` runs until stopped: run it in its own"
          + " process (CODEB_DAEMON=off), not through the daemon");
    }
    int colon = listen.lastIndexOf(':');
    if (colon <= 0) {
      throw new InvalidRequestException("--listen " + listen + ": use IP:PORT, e.g."
          + " 127.0.0.1:8420");
    }
    int port;
    try {
      port = Integer.parseInt(listen.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new InvalidRequestException("--listen " + listen + ": the port is not a number");
    }
    String host = listen.substring(0, colon).replaceAll("^\\[|]$", "");
    SsotServerConfig config = new SsotServerConfig(host, port, maxBody, rate,
        Duration.ofSeconds(30));
    ServerTokens serverTokens = ServerTokens.at(SsotTokenCommand.tokensPath(session, tokens));
    if (serverTokens.list().isEmpty()) {
      session.progress("note: " + InputFiles.shown(serverTokens.path()) + " holds no token yet:"
          + " every request but /healthz gets 401 (`we ssot token create NAME --scope read`)");
    }
    Consumer<String> log = writeLog == null ? line -> {
      synchronized (session.out()) {
        session.out().println(line);
        session.out().flush();
      }
    } : appender(session.path(writeLog));
    try (SsotStore store = session.openSsot();
        SsotServer server = SsotServer.start(config, store, serverTokens, log)) {
      session.progress("serving " + InputFiles.shown(store.info().location()) + " on http://"
          + listen.substring(0, colon) + ":" + server.port() + " (tokens "
          + InputFiles.shown(serverTokens.path()) + ")");
      Runtime.getRuntime().addShutdownHook(new Thread(server::close, "ssot-serve-stop"));
      server.join();
    }
    return 0;
  }

  private static Consumer<String> appender(Path file) {
    try {
      if (!Files.exists(file)) {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(
            PosixFilePermissions.fromString("rw-------")));
      }
      BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8,
          StandardOpenOption.APPEND);
      return line -> {
        synchronized (w) {
          try {
            w.write(line);
            w.newLine();
            w.flush();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      };
    } catch (IOException e) {
      throw new InvalidRequestException("cannot append to --write-log " + InputFiles.shown(file)
          + ": " + InputFiles.reason(e));
    }
  }
}
