package kr.codeb.cli.internal;

import java.util.Objects;
import java.util.Optional;
import kr.codeb.fleet.Server;

/**
 * The engine a command uses for one capability: its URI and, when it came from the config
 * file's {@code servers:}, the server it runs on. A server with {@code ssh:} is reached over SSH
 * (the URI's addresses are as it sees them); without, the URI is used from here.
 */
record EngineTarget(String capability, String uri, Optional<Server> server) {
  EngineTarget {
    Objects.requireNonNull(capability, "capability");
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(server, "server");
  }

  static EngineTarget local(String capability, String uri) {
    return new EngineTarget(capability, uri, Optional.empty());
  }

  /** Whether the engine is reached over SSH. */
  boolean remote() {
    return server.flatMap(Server::ssh).isPresent();
  }

  /** The provider pool's key: the same URI on two servers is two engines. */
  String poolKey() {
    return remote() ? uri + " @" + server.get().name() : uri;
  }

  /** For messages: {@code docker:// on app1}. */
  String describe() {
    return server.map(s -> capability + " of server " + s.name()).orElse(capability + " " + uri);
  }
}
