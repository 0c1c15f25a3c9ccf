package kr.codeb.ssothttp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import kr.codeb.ProviderRegistry;
import kr.codeb.Secret;
import kr.codeb.ports.Registry;
import kr.codeb.ports.SsotStore;
import kr.codeb.ssot.FileSsotStore;
import kr.codeb.ssot.SsotDocument;
import kr.codeb.ssotserver.ServerTokens;
import kr.codeb.ssotserver.ServerTls;
import kr.codeb.ssotserver.SsotServer;
import kr.codeb.ssotserver.SsotServerConfig;
import kr.codeb.ssotserver.TokenScope;

/**
 * {@code we ssot serve} in-process: the real server on a loopback port over a real SSOT file,
 * with a real token file; over HTTPS with the test's self-signed certificate when asked.
 */
final class TestServer implements AutoCloseable {
  final Path ssot;
  final FileSsotStore store;
  final SsotServer server;
  final ServerTokens tokens;
  /** Scopes allocate and repair. */
  final Secret writer;
  /** Scope read only. */
  final Secret reader;
  final URI uri;
  final Optional<SelfSigned> tls;
  final List<String> writeLog = Collections.synchronizedList(new ArrayList<>());

  private TestServer(Path dir, Registry initial, Optional<SelfSigned> tls, int rate) {
    try {
      Files.createDirectories(dir);
      ssot = dir.resolve("ssot.json");
      Files.write(ssot, SsotDocument.of(initial, ssot.toString()).bytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.tls = tls;
    store = FileSsotStore.open(ssot);
    tokens = ServerTokens.at(dir.resolve("tokens.json"));
    writer = tokens.create("writer", Set.of(TokenScope.ALLOCATE, TokenScope.REPAIR));
    reader = tokens.create("reader", Set.of(TokenScope.READ));
    server = SsotServer.start(SsotServerConfig.defaults().withListen("127.0.0.1", 0)
            .withRate(rate), tls.map(t -> new ServerTls(t.keyStore(), t.password())), store,
        tokens, writeLog::add);
    uri = URI.create((tls.isPresent() ? "https" : "http") + "://127.0.0.1:" + server.port()
        + "/");
  }

  static TestServer http(Path dir, Registry initial) {
    return new TestServer(dir, initial, Optional.empty(), 100_000);
  }

  static TestServer https(Path dir, Registry initial) {
    return new TestServer(dir, initial, Optional.of(SelfSigned.get()), 100_000);
  }

  static TestServer http(Path dir, Registry initial, int rate) {
    return new TestServer(dir, initial, Optional.empty(), rate);
  }

  /** The environment a client process would have: the token, and the CA for https. */
  Map<String, String> env(Secret token) {
    Map<String, String> env = new HashMap<>();
    if (token != null) {
      env.put("CODEB_SSOT_TOKEN", token.reveal());
    }
    tls.ifPresent(t -> env.put("CODEB_SSOT_CA", t.certificate().toString()));
    return env;
  }

  /** A client store found by the URI's scheme, as the CLI finds it. */
  SsotStore client(Secret token) {
    return client(uri.toString(), env(token));
  }

  static SsotStore client(String uri, Map<String, String> env) {
    return ProviderRegistry.load(env::get).ssotStore(uri);
  }

  @Override
  public void close() {
    server.close();
    store.close();
  }
}
