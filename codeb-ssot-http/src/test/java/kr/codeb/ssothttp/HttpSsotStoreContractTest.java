package kr.codeb.ssothttp;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import kr.codeb.ports.Registry;
import kr.codeb.ports.SsotStore;
import kr.codeb.tck.SsotStoreContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** The contract over http:// against the real server on loopback, over a real SSOT file. */
class HttpSsotStoreContractTest extends SsotStoreContract {
  @TempDir Path dir;
  private final AtomicInteger servers = new AtomicInteger();
  private final List<TestServer> started = new ArrayList<>();
  private final Map<SsotStore, TestServer> serverOf = new IdentityHashMap<>();

  /** A server over the registry; the https variant overrides it. */
  TestServer start(Path where, Registry initial) {
    return TestServer.http(where, initial);
  }

  @Override
  protected SsotStore newStore(Registry initial) {
    TestServer server = start(dir.resolve("server-" + servers.incrementAndGet()), initial);
    started.add(server);
    return track(server, server.client(server.writer));
  }

  @Override
  protected SsotStore reopen(SsotStore store) {
    TestServer server = serverOf.get(store);
    return track(server, server.client(server.writer));
  }

  private synchronized SsotStore track(TestServer server, SsotStore store) {
    serverOf.put(store, server);
    return store;
  }

  /** Runs before the contract closes the stores: closes them first (again is harmless). */
  @AfterEach
  void stopServers() {
    serverOf.keySet().forEach(SsotStore::close);
    started.forEach(TestServer::close);
  }
}
