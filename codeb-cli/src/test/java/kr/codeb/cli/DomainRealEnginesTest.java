package kr.codeb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import kr.codeb.Secret;
import kr.codeb.caddy.CaddyConfig;
import kr.codeb.caddy.CaddyProxy;
import kr.codeb.model.DnsName;
import kr.codeb.model.IpAddress;
import kr.codeb.powerdns.PowerDnsConfig;
import kr.codeb.powerdns.PowerDnsProvider;
import kr.codeb.proxy.Route;
import kr.codeb.proxy.Upstream;
import kr.codeb.tck.TestEngines;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code we domain} against the real pdns_server and Caddy: after {@code add}, a real DNS
 * query answers the edge address, a request through Caddy with the Host header reaches the
 * project's live slot (a JDK HttpServer on loopback), and HTTPS with the domain as SNI gets a
 * certificate for that name from Caddy's internal CA (the client trusts anything, and checks
 * the SAN).
 */
class DomainRealEnginesTest {
  static final String EDGE = "203.0.113.77";

  @TempDir Path dir;
  String run;
  String pdnsApi;
  String pdnsKey;
  String admin;
  HttpServer live;
  PowerDnsProvider dns;
  final List<DnsName> zones = new ArrayList<>();
  final List<Runnable> cleanups = new ArrayList<>();
  Path config;

  @BeforeEach
  void setUp() throws IOException {
    pdnsApi = TestEngines.require("CODEB_TEST_PDNS_API");
    pdnsKey = TestEngines.require("CODEB_TEST_PDNS_API_KEY");
    admin = TestEngines.require("CODEB_TEST_CADDY_ADMIN");
    run = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    dns = PowerDnsProvider.create(PowerDnsConfig.of(URI.create(pdnsApi), Secret.of(pdnsKey)));
    live = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    live.createContext("/", ex -> {
      byte[] body = ("live-" + run).getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    });
    live.start();
    config = WeRunner.write(dir.resolve("codeb.yaml"), String.join("\n",
        "servers:",
        "  - name: edge",
        "    roles: [edge, app]",
        "    public: " + EDGE,
        "    private: 10.0.0.2", "").getBytes(StandardCharsets.UTF_8));
  }

  @AfterEach
  void tearDown() {
    for (int i = cleanups.size() - 1; i >= 0; i--) {
      try {
        cleanups.get(i).run();
      } catch (RuntimeException e) {
        System.err.println("cleanup failed: " + e);
      }
    }
    zones.forEach(dns::deleteZone);
    if (dns != null) {
      dns.close();
    }
    if (live != null) {
      live.stop(0);
    }
  }

  private Map<String, String> env() {
    return Map.of("CODEB_POWERDNS_API_KEY", pdnsKey);
  }

  private String dnsUri() {
    return "powerdns+" + pdnsApi + "?server=localhost";
  }

  private Upstream liveSlot() {
    return new Upstream(IpAddress.of("127.0.0.1"), live.getAddress().getPort());
  }

  /** A route for the project, made as a deploy would: no hosts yet, pointing at the live slot. */
  private CaddyProxy deployed(CaddyConfig caddy, String routeId) {
    CaddyProxy proxy = CaddyProxy.create(caddy);
    proxy.upsert(new Route(routeId, List.of(), liveSlot()));
    cleanups.add(() -> {
      proxy.remove(routeId);
      proxy.close();
    });
    return proxy;
  }

  @Test
  void addPointsDnsAndCaddyAtTheLiveSlotIdempotentlyAndRemoveUndoes() throws Exception {
    String httpPort = TestEngines.require("CODEB_TEST_CADDY_HTTP_PORT");
    String project = "p" + run;
    String domain = "api.codeb" + run + ".kr";
    zones.add(DnsName.of("codeb" + run + ".kr"));
    CaddyProxy proxy = deployed(CaddyConfig.of(URI.create(admin))
        .withListen(List.of("127.0.0.1:" + httpPort)).withAutomaticHttps(false),
        project + "-production");
    String proxyUri = "caddy+" + admin + "?listen=127.0.0.1:" + httpPort + "&auto_https=off";
    String[] add = {"domain", "add", domain, "--project", project, "--env", "production",
        "--www", "--json", "--config", config.toString(), "--dns", dnsUri(), "--proxy", proxyUri};

    JsonNode first = WeRunner.run(env(), add).expect(0).json();
    assertEquals("codeb" + run + ".kr.", first.get("zone").asText());
    assertEquals("created", first.get("changes").get(0).get("action").asText(), first.toString());
    assertEquals(List.of(EDGE), dig(domain));
    assertEquals(List.of(EDGE), dig("www." + domain));
    assertEquals("live-" + run, httpGet(Integer.parseInt(httpPort), domain));
    assertEquals("live-" + run, httpGet(Integer.parseInt(httpPort), "www." + domain));

    JsonNode second = WeRunner.run(env(), add).expect(0).json();
    assertFalse(second.get("changed").asBoolean(), second.toString());

    JsonNode listed = WeRunner.run(env(), "domain", "list", "--project", project, "--json",
        "--dns", dnsUri(), "--proxy", proxyUri).expect(0).json();
    assertEquals(2, listed.get("domains").size(), listed.toString());

    WeRunner.run(env(), "domain", "remove", domain, "--json", "--dns", dnsUri(), "--proxy",
        proxyUri).expect(0);
    assertEquals(List.of(), dig(domain));
    assertEquals(List.of(), proxy.route(project + "-production").orElseThrow().hosts());
    assertTrue(dns.zones().stream().anyMatch(z -> z.name().equals(zones.get(0))),
        "the zone stays");
  }

  @Test
  void httpsWithTheDomainAsSniGetsACertificateForIt() throws Exception {
    String httpsPort = TestEngines.require("CODEB_TEST_CADDY_HTTPS_PORT");
    String server = "codeb-tls-" + run;
    String project = "q" + run;
    String domain = "shop.codeb" + run + ".co.kr";
    zones.add(DnsName.of("codeb" + run + ".co.kr"));
    cleanups.add(() -> adminDelete("/config/apps/http/servers/" + server));
    cleanups.add(() -> adminDelete("/id/codeb-tls-" + server));
    deployed(CaddyConfig.of(URI.create(admin)).withListen(List.of("127.0.0.1:" + httpsPort))
        .withServer(server).withTls(CaddyConfig.TLS_INTERNAL), project + "-production");
    String proxyUri = "caddy+" + admin + "?listen=127.0.0.1:" + httpsPort + "&server=" + server
        + "&tls=internal";
    JsonNode added = WeRunner.run(env(), "domain", "add", domain, "--project", project, "--env",
        "production", "--json", "--config", config.toString(), "--dns", dnsUri(), "--proxy",
        proxyUri).expect(0).json();
    assertEquals("codeb" + run + ".co.kr.", added.get("zone").asText());
    assertEquals(List.of(EDGE), dig(domain));

    String answer = httpsGet(Integer.parseInt(httpsPort), domain);
    assertTrue(answer.endsWith("live-" + run), answer);
  }

  /** The A records of a name, asked of the real PowerDNS with dig. */
  private static List<String> dig(String name) throws Exception {
    String[] hostPort = TestEngines.require("CODEB_TEST_PDNS_DNS").split(":");
    Process p = new ProcessBuilder("dig", "@" + hostPort[0], "-p", hostPort[1], "+short",
        "+norecurse", "+time=2", "+tries=2", name, "A").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    return out.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
  }

  /** A plain HTTP GET to Caddy on a fresh connection with the given Host header. */
  private static String httpGet(int port, String host) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      return exchange(s, host);
    }
  }

  private static String exchange(Socket s, String host) throws IOException {
    OutputStream out = s.getOutputStream();
    out.write(("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    InputStream in = s.getInputStream();
    String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(response.startsWith("HTTP/1.1 200"), response);
    return response.substring(response.indexOf("\r\n\r\n") + 4);
  }

  /**
   * HTTPS to Caddy with the domain as SNI: the certificate must name the domain (SAN); the
   * client trusts any issuer (Caddy's internal CA is not in any trust store, on purpose).
   */
  private static String httpsGet(int port, String host) throws Exception {
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, new TrustManager[] {new X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    }}, new SecureRandom());
    long deadline = System.nanoTime() + 30_000_000_000L;
    Exception last = null;
    while (System.nanoTime() < deadline) {
      try (SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", port)) {
        s.setSoTimeout(10_000);
        SSLParameters params = s.getSSLParameters();
        params.setServerNames(List.of(new SNIHostName(host)));
        s.setSSLParameters(params);
        s.startHandshake();
        X509Certificate cert = (X509Certificate) s.getSession().getPeerCertificates()[0];
        Collection<List<?>> sans = cert.getSubjectAlternativeNames();
        List<String> names = sans == null ? List.of()
            : sans.stream().map(san -> String.valueOf(san.get(1))).toList();
        assertTrue(names.contains(host), "certificate names " + names + ", not " + host);
        return exchange(s, host);
      } catch (IOException e) {
        last = e; // the certificate may still be being issued right after the reload
        Thread.sleep(250);
      }
    }
    return fail("no TLS handshake for " + host + " within 30 s: " + last);
  }

  private void adminDelete(String path) {
    try {
      HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(admin + path)).DELETE()
          .build(), HttpResponse.BodyHandlers.discarding());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
