package kr.codeb.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import kr.codeb.InvalidRequestException;
import kr.codeb.ProviderRegistry;
import kr.codeb.model.IpAddress;
import kr.codeb.proxy.ReverseProxy;
import kr.codeb.proxy.Route;
import kr.codeb.proxy.Upstream;
import kr.codeb.tck.ProxyMaintenanceContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MemReverseProxyContractTest extends ProxyMaintenanceContract {
  private static MemReverseProxy proxy;

  @BeforeAll
  static void open() {
    proxy = MemReverseProxy.listening(0);
  }

  @AfterAll
  static void close() {
    proxy.close();
  }

  @Override
  protected ReverseProxy proxy() {
    return proxy;
  }

  @Override
  protected URI trafficEndpoint() {
    return proxy.endpoint().orElseThrow();
  }

  @Test
  void foundThroughTheRegistryByScheme() {
    ProviderRegistry registry = ProviderRegistry.load();
    Route route = new Route("shared", List.of("a.example"),
        new Upstream(IpAddress.of("127.0.0.1"), 4101));
    try (ReverseProxy one = registry.reverseProxy("mem:shared-proxy");
        ReverseProxy two = registry.reverseProxy("mem:shared-proxy")) {
      assertInstanceOf(MemReverseProxy.class, one);
      one.upsert(route);
      assertEquals(List.of(route), two.routes());
    }
    // A bare "mem:" is not a java.net.URI; "mem:?listen=0" (anonymous) is.
    try (ReverseProxy fresh = registry.reverseProxy("mem:?listen=0")) {
      assertTrue(fresh.routes().isEmpty());
    }
  }

  @Test
  void listensWhenAsked() {
    try (ReverseProxy p = ProviderRegistry.load().reverseProxy("mem:?listen=0")) {
      assertTrue(((MemReverseProxy) p).endpoint().isPresent());
    }
  }

  @Test
  void refusesUnknownOptions() {
    assertThrows(InvalidRequestException.class,
        () -> ProviderRegistry.load().reverseProxy("mem:x?port=1"));
    assertThrows(InvalidRequestException.class,
        () -> ProviderRegistry.load().reverseProxy("mem:x?listen=99999"));
  }

  @Test
  void hostHeaderIsReducedToTheHost() {
    assertEquals("a.example", MemReverseProxy.hostOnly("A.Example.:8080"));
    assertEquals("[::1]", MemReverseProxy.hostOnly("[::1]:80"));
  }
}
