// Benchmark of blue-green traffic switching (docs/benchmarks-switching.md): run with
// `java SwitchBench.java ...` (JDK 17 source launcher, no dependencies). Not part of the Maven
// build. See run.sh for the exact command.
import com.sun.net.httpserver.HttpServer;
import java.io.*;
import java.net.*;
import java.net.http.*;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.*;
import java.util.concurrent.*;
import java.util.concurrent.atomic.*;
import javax.net.ssl.*;

public class SwitchBench {
  static String admin, pdnsApi, pdnsKey, pdnsDns, zone = "zd.test.";
  static int httpPort, httpsPort, bluePort, greenPort, cycles;
  static String downStop, downStart;
  // The serve-stale cache (srv-cache): a PowerDNS Recursor forwarding zd.test. to PowerDNS.
  static String recDns, recApi, recKey, recStop, recStart;
  // Where the cost sample reads each process's id (the files run.sh writes; re-read every time
  // because the dependency-down runs restart PowerDNS and the recursor).
  static String pdnsPidFile, recPidFile, caddyPidFile;
  static int idleSeconds;
  static final HttpClient plain = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  public static void main(String[] a) throws Exception {
    Map<String, String> o = new HashMap<>();
    for (int i = 0; i + 1 < a.length; i += 2) o.put(a[i].replaceFirst("^--", ""), a[i + 1]);
    admin = o.get("admin"); pdnsApi = o.get("pdns-api"); pdnsKey = o.get("pdns-key");
    pdnsDns = o.get("pdns-dns"); httpPort = Integer.parseInt(o.get("http"));
    httpsPort = Integer.parseInt(o.get("https"));
    cycles = Integer.parseInt(o.getOrDefault("cycles", "100"));
    downStop = o.get("down-stop"); downStart = o.get("down-start");
    recDns = o.get("rec-dns"); recApi = o.get("rec-api"); recKey = o.get("rec-key");
    recStop = o.get("rec-stop"); recStart = o.get("rec-start");
    pdnsPidFile = o.get("pdns-pid-file"); recPidFile = o.get("rec-pid-file");
    caddyPidFile = o.get("caddy-pid-file");
    idleSeconds = Integer.parseInt(o.getOrDefault("idle-seconds", "5"));
    bluePort = slotServer("blue"); greenPort = slotServer("green");
    pdns("POST", "/api/v1/servers/localhost/zones",
        "{\"name\":\"" + zone + "\",\"kind\":\"Native\",\"nameservers\":[\"ns1.zd.test.\"]}");
    rrset("up." + zone, "A", "127.0.0.1");
    // srv-cache keeps its SRV record in a child zone, as CodeB does with dns_cache: PowerDNS then
    // sends no additional A record with it, which would displace the recursor's own copy.
    pdns("POST", "/api/v1/servers/localhost/zones",
        "{\"name\":\"_srv." + zone + "\",\"kind\":\"Native\",\"nameservers\":[\"ns1.zd.test.\"]}");
    pdns("PATCH", "/api/v1/servers/localhost/zones/" + zone, "{\"rrsets\":[{\"name\":\"up." + zone
        + "\",\"type\":\"A\",\"ttl\":3600,\"changetype\":\"REPLACE\",\"records\":[{\"content\":\"127.0.0.1\",\"disabled\":false}]}]}");
    System.out.printf("slots: blue=127.0.0.1:%d green=127.0.0.1:%d; %d promote/rollback cycles%n",
        bluePort, greenPort, cycles);
    for (String m : o.getOrDefault("mechanisms", "reload,srv").split(",")) run(m, o.getOrDefault("down", "no").equals("yes"));
    System.exit(0);
  }

  // ---------- the mechanisms ----------
  /** A mechanism variant is NAME or NAME@MS: MS is the SRV refresh in milliseconds (default 100). */
  static String base(String m) {
    int at = m.indexOf('@');
    return at < 0 ? m : m.substring(0, at);
  }

  static String refresh(String m) {
    int at = m.indexOf('@');
    return (at < 0 ? "100" : m.substring(at + 1)) + "ms";
  }

  static String handler(String variant) {
    String m = base(variant), refresh = refresh(variant);
    String fallback = "\"upstreams\":[{\"dial\":\"127.0.0.1:" + bluePort + "\"}]";
    String srv = "\"dynamic_upstreams\":{\"source\":\"srv\",\"name\":\"_app._tcp.r." + zone
        + "\",\"refresh\":\"" + refresh + "\",\"resolver\":{\"addresses\":[\"" + pdnsDns + "\"]}},"
        + "\"transport\":{\"protocol\":\"http\",\"resolver\":{\"addresses\":[\"" + pdnsDns + "\"]}}";
    String h = "{\"@id\":\"zd-up\",\"handler\":\"reverse_proxy\",";
    if (m.equals("srv-cache")) { // exactly the form CodeB writes with dns_cache (CaddyJson)
      String one = "{\"source\":\"srv\",\"name\":\"" + srvName(m) + "\",\"refresh\":\"" + refresh + "\",\"resolver\":{\"addresses\":[\"%s\"]}}";
      return h + fallback + ",\"dynamic_upstreams\":{\"source\":\"multi\",\"sources\":["
          + String.format(one, recDns) + "," + String.format(one, pdnsDns)
          + ",{\"source\":\"a\",\"name\":\"127.0.0.1\",\"port\":\"" + bluePort + "\",\"refresh\":\"1h\"}]},"
          + "\"transport\":{\"protocol\":\"http\",\"resolver\":{\"addresses\":[\"" + recDns + "\",\"" + pdnsDns + "\"]}},"
          + "\"load_balancing\":{\"selection_policy\":{\"policy\":\"first\"},\"retries\":10,\"try_interval\":\"5ms\"}}";
    }
    switch (m) {
      case "reload": return h + fallback + "}";
      case "srv-bare": return h + srv + "}";
      default: return h + srv + "," + fallback + "}"; // srv, srv-sync
    }
  }

  static void load(String m) throws Exception {
    String cfg = "{\"admin\":{\"listen\":\"" + URI.create(admin).getAuthority()
        + "\",\"config\":{\"persist\":false}},\"apps\":{"
        + "\"pki\":{\"certificate_authorities\":{\"local\":{\"install_trust\":false}}},"
        + "\"tls\":{\"automation\":{\"policies\":[{\"subjects\":[\"localhost\"],\"issuers\":[{\"module\":\"internal\"}]}]}},"
        + "\"http\":{\"http_port\":" + httpPort + ",\"https_port\":" + httpsPort + ",\"servers\":{\"zd\":{"
        + "\"listen\":[\"127.0.0.1:" + httpPort + "\",\"127.0.0.1:" + httpsPort + "\"],"
        + "\"automatic_https\":{\"disable_redirects\":true},"
        + "\"routes\":[{\"match\":[{\"host\":[\"localhost\"]}],\"handle\":[" + handler(m)
        + "],\"terminal\":true}]}}}}}";
    http("POST", admin + "/load", cfg, Map.of());
  }

  /** The switch as each mechanism does it; returns when the change is accepted. */
  static void switchTo(String m, int port) throws Exception {
    switch (base(m)) {
      case "reload":
        http("PATCH", admin + "/id/zd-up/upstreams", "[{\"dial\":\"127.0.0.1:" + port + "\"}]", Map.of());
        break;
      case "srv-cache":
        rrsetIn("_srv." + zone, srvName(m), "SRV", "0 0 " + port + " up." + zone);
        flush(srvName(m));
        break;
      default:
        rrset("_app._tcp.r." + zone, "SRV", "0 0 " + port + " up." + zone);
    }
  }

  static String srvName(String m) {
    return base(m).equals("srv-cache") ? "_app._tcp.r._srv." + zone : "_app._tcp.r." + zone;
  }

  /** As CodeB does after each change; a failure only costs the record's TTL (1 s). */
  static void flush(String name) {
    try {
      http("PUT", recApi + "/api/v1/servers/localhost/cache/flush?domain=" + name, "",
          Map.of("X-API-Key", recKey, "Accept", "application/json"));
    } catch (Exception e) {
      System.out.println("flush failed (recursor down?): " + e);
    }
  }

  /** After the switch is verified: srv-sync also moves the static fallback (a reload). */
  static void afterVerified(String m, int port) throws Exception {
    if (base(m).equals("srv-sync")) {
      http("PATCH", admin + "/id/zd-up/upstreams", "[{\"dial\":\"127.0.0.1:" + port + "\"}]", Map.of());
    }
  }

  // ---------- one run ----------
  static void run(String m, boolean down) throws Exception {
    if (!base(m).equals("reload")) switchTo(m, bluePort);
    load(m);
    Thread.sleep(1500); // certificate + first lookups
    awaitSlot("blue", 5000);
    // Idle: no client sends anything, so Caddy has no request that could make it resolve.
    Thread.sleep(1000);
    Cost idle = new Cost();
    Thread.sleep(idleSeconds * 1000L);
    String idleCost = idle.end();
    Clients c = new Clients();
    c.start();
    Thread.sleep(2000);
    Cost load = new Cost(); // under load: the clients and the switches, until the clients stop
    List<Long> lat = new ArrayList<>();
    String live = "blue";
    for (int i = 0; i < cycles * 2; i++) {
      String to = live.equals("blue") ? "green" : "blue";
      long t0 = System.nanoTime();
      switchTo(m, to.equals("blue") ? bluePort : greenPort);
      long t = awaitSlot(to, 10_000);
      lat.add((t - t0) / 1_000_000);
      afterVerified(m, to.equals("blue") ? bluePort : greenPort);
      live = to;
      Thread.sleep(150);
    }
    Thread.sleep(1000);
    String loadCost = load.end();
    String res = c.stop();
    Collections.sort(lat);
    System.out.printf("RESULT %-8s switches=%d latency_ms median=%d p99=%d max=%d | %s%n", m,
        lat.size(), lat.get(lat.size() / 2), lat.get((int) Math.ceil(lat.size() * 0.99) - 1),
        lat.get(lat.size() - 1), res);
    System.out.printf("COST   %-12s refresh=%s routes=1 load: %s%n", m, refresh(m), loadCost);
    System.out.printf("COST   %-12s refresh=%s routes=1 idle: %s%n", m, refresh(m), idleCost);
    if (down && !base(m).equals("reload")) downTest(m, live);
  }

  /**
   * Live slot green (switched by the mechanism; the static fallback says blue), then each
   * dependency down for 10 s under load: PowerDNS; for srv-cache also the recursor (once
   * without, once with 10 switches during the outage) and both.
   */
  static void downTest(String m, String live) throws Exception {
    if (live.equals("blue")) { switchTo(m, greenPort); awaitSlot("green", 10_000); afterVerified(m, greenPort); }
    outage(m, "PowerDNS", downStop, downStart, false);
    if (base(m).equals("srv-cache")) {
      outage(m, "recursor", recStop, recStart, false);
      outage(m, "recursor", recStop, recStart, true);
      outage(m, "PowerDNS+recursor", recStop + "; " + downStop, downStart + "; " + recStart, false);
    }
  }

  static void outage(String m, String what, String stop, String start, boolean switches) throws Exception {
    Clients c = new Clients();
    c.start();
    Thread.sleep(2000);
    sh(stop);
    c.markOutage();
    List<Long> lat = new ArrayList<>();
    if (switches) { // 10 switches green->blue->...->green while it is down
      Thread.sleep(500);
      String live = "green";
      for (int i = 0; i < 10; i++) {
        String to = live.equals("blue") ? "green" : "blue";
        long t0 = System.nanoTime();
        switchTo(m, to.equals("blue") ? bluePort : greenPort);
        lat.add((awaitSlot(to, 10_000) - t0) / 1_000_000);
        live = to;
        Thread.sleep(300);
      }
      Thread.sleep(Math.max(0, 10_000 - 500 - lat.stream().mapToLong(Long::longValue).sum() - 3000));
    } else {
      Thread.sleep(10_000);
    }
    String during = c.stop();
    sh(start);
    Thread.sleep(2000);
    Collections.sort(lat);
    System.out.printf("DOWN   %-9s live=green, %s stopped ~10 s (from 2 s into the run)%s: %s%n", m, what,
        lat.isEmpty() ? "" : ", 10 switches meanwhile, latency_ms median=" + lat.get(lat.size() / 2)
            + " max=" + lat.get(lat.size() - 1), during);
  }

  // ---------- what the refresh costs the DNS servers ----------
  /**
   * A before/after sample of the queries PowerDNS and the recursor received (their statistics
   * APIs) and of the CPU time (utime + stime from /proc/PID/stat) of PowerDNS, the recursor and
   * Caddy. Rates are per second of wall time between the two samples; the bench has one route.
   */
  static class Cost {
    final long t0 = System.nanoTime();
    final Map<String, Long> s0 = sample();

    static Map<String, Long> sample() {
      Map<String, Long> m = new LinkedHashMap<>();
      try {
        Map<String, Long> p = stats(pdnsApi, pdnsKey);
        m.put("pdns-queries", p.getOrDefault("udp-queries", 0L) + p.getOrDefault("tcp-queries", 0L));
        m.put("pdns-tcp", p.getOrDefault("tcp-queries", 0L));
      } catch (Exception e) { System.out.println("pdns statistics failed: " + e); }
      if (recApi != null) {
        try {
          Map<String, Long> r = stats(recApi, recKey);
          m.put("rec-questions", r.getOrDefault("questions", 0L));
          m.put("rec-outqueries", r.getOrDefault("all-outqueries", 0L));
        } catch (Exception e) { System.out.println("recursor statistics failed: " + e); }
      }
      m.put("pdns-cpu-ms", cpuMs(pdnsPidFile));
      m.put("rec-cpu-ms", cpuMs(recPidFile));
      m.put("caddy-cpu-ms", cpuMs(caddyPidFile));
      return m;
    }

    String end() {
      double secs = (System.nanoTime() - t0) / 1e9;
      Map<String, Long> s1 = sample();
      StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "seconds=%.1f", secs));
      s1.forEach((k, v) -> {
        Long before = s0.get(k);
        if (before == null || v < 0 || before < 0) return;
        long d = v - before;
        b.append(String.format(Locale.ROOT, " %s=%d (%.1f/s)", k, d, d / secs));
      });
      return b.toString();
    }
  }

  static Map<String, Long> stats(String api, String key) throws Exception {
    String body = http("GET", api + "/api/v1/servers/localhost/statistics", "",
        Map.of("X-API-Key", key, "Accept", "application/json"));
    Map<String, Long> m = new HashMap<>();
    java.util.regex.Matcher x = java.util.regex.Pattern
        .compile("\\{\"name\":\\s*\"([^\"]+)\",\\s*\"type\":\\s*\"StatisticItem\",\\s*\"value\":\\s*\"(\\d+)\"")
        .matcher(body);
    while (x.find()) m.put(x.group(1), Long.parseLong(x.group(2)));
    if (m.isEmpty()) throw new IllegalStateException("no statistics in " + api);
    return m;
  }

  /** utime + stime of the process whose id the file holds, in ms; -1 if unknown. */
  static long cpuMs(String pidFile) {
    if (pidFile == null) return -1;
    try {
      String pid = new String(java.nio.file.Files.readAllBytes(java.nio.file.Path.of(pidFile))).strip();
      String st = new String(java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc", pid, "stat")));
      String[] f = st.substring(st.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10; // clock ticks of 10 ms (CLK_TCK 100)
    } catch (Exception e) {
      return -1;
    }
  }

  static void sh(String cmd) throws Exception {
    new ProcessBuilder("sh", "-c", cmd).inheritIO().start().waitFor();
  }

  /** Probes with a new connection per request until 10 answers in a row come from {@code slot}; returns when the first of them was sent. */
  static long awaitSlot(String slot, long timeoutMs) throws Exception {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000;
    int row = 0;
    long first = 0;
    while (System.nanoTime() < deadline) {
      long t = System.nanoTime();
      String got;
      try { got = newConnGet(); } catch (IOException e) { got = "error"; }
      if (got.equals(slot)) { if (row++ == 0) first = t; if (row == 10) return first; }
      else row = 0;
    }
    throw new IllegalStateException("requests did not reach " + slot + " within " + timeoutMs + " ms");
  }

  // ---------- the clients ----------
  static class Clients {
    final AtomicBoolean stop = new AtomicBoolean();
    final AtomicLong ncOk = new AtomicLong(), ncFail = new AtomicLong(), h2Ok = new AtomicLong(),
        h2Fail = new AtomicLong();
    final Map<String, AtomicLong> slots = new ConcurrentHashMap<>();
    volatile Map<String, Long> atOutage;

    /** Remembers the new-connection answers so far: the rest came during the outage. */
    void markOutage() {
      Map<String, Long> m = new TreeMap<>();
      slots.forEach((k, v) -> m.put(k, v.get()));
      atOutage = m;
    }
    final List<Thread> threads = new ArrayList<>();
    Process wrk;
    final StringBuilder wrkOut = new StringBuilder();
    Thread wrkReader;

    void start() throws Exception {
      wrk = new ProcessBuilder("wrk", "-t2", "-c16", "-d600s", "-s", "bench/switching/errors.lua",
          "-H", "Host: localhost", "http://127.0.0.1:" + httpPort + "/").redirectErrorStream(true).start();
      wrkReader = new Thread(() -> { try { wrkOut.append(new String(wrk.getInputStream().readAllBytes())); } catch (IOException e) {} });
      wrkReader.start();
      Thread nc = new Thread(() -> {
        while (!stop.get()) {
          try { String s = newConnGet(); if (s.equals("blue") || s.equals("green")) { ncOk.incrementAndGet(); slots.computeIfAbsent(s, k -> new AtomicLong()).incrementAndGet(); } else { ncFail.incrementAndGet(); slots.computeIfAbsent(s, k -> new AtomicLong()).incrementAndGet(); } }
          catch (IOException e) { ncFail.incrementAndGet(); }
        }
      });
      threads.add(nc);
      HttpClient h2 = h2Client();
      for (int i = 0; i < 4; i++) {
        threads.add(new Thread(() -> {
          HttpRequest req = HttpRequest.newBuilder(URI.create("https://localhost:" + httpsPort + "/"))
              .timeout(Duration.ofSeconds(5)).build();
          while (!stop.get()) {
            try {
              HttpResponse<String> r = h2.send(req, HttpResponse.BodyHandlers.ofString());
              if (r.statusCode() == 200 && r.version() == HttpClient.Version.HTTP_2) h2Ok.incrementAndGet(); else h2Fail.incrementAndGet();
            } catch (Exception e) { h2Fail.incrementAndGet(); }
          }
        }));
      }
      threads.forEach(Thread::start);
    }

    String stop() throws Exception {
      new ProcessBuilder("kill", "-INT", Long.toString(wrk.pid())).start().waitFor();
      wrk.waitFor(10, TimeUnit.SECONDS);
      wrkReader.join();
      stop.set(true);
      for (Thread t : threads) t.join();
      String w = wrkOut.toString().lines().filter(l -> l.startsWith("WRK")).findFirst()
          .orElse("WRK (no summary) " + wrkOut);
      String during = "";
      if (atOutage != null) {
        Map<String, Long> d = new TreeMap<>();
        slots.forEach((k, v) -> d.put(k, v.get() - atOutage.getOrDefault(k, 0L)));
        during = " after-stop=" + d;
      }
      return w + " | new-conn ok=" + ncOk + " failed=" + ncFail + " by-answer=" + new TreeMap<>(slots) + during
          + " | h2-tls ok=" + h2Ok + " failed=" + h2Fail;
    }
  }

  static HttpClient h2Client() throws Exception {
    System.setProperty("jdk.internal.httpclient.disableHostnameVerification", "true");
    TrustManager[] all = {new X509TrustManager() { // bench client only
      public void checkClientTrusted(X509Certificate[] c, String s) {}
      public void checkServerTrusted(X509Certificate[] c, String s) {}
      public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; } }};
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, all, null);
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).sslContext(ctx)
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  static String newConnGet() throws IOException {
    try (Socket s = new Socket()) {
      s.setSoTimeout(5000);
      s.connect(new InetSocketAddress("127.0.0.1", httpPort), 5000);
      s.getOutputStream().write(("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      int sp = all.indexOf(' ');
      if (sp < 0) throw new IOException("no answer");
      String status = all.substring(sp + 1, sp + 4);
      String body = all.substring(all.indexOf("\r\n\r\n") + 4).strip();
      return status.equals("200") ? body : "status-" + status;
    }
  }

  // ---------- upstreams, PowerDNS, HTTP ----------
  static int slotServer(String name) throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
    byte[] body = (name + "\n").getBytes(StandardCharsets.UTF_8);
    s.createContext("/", x -> { x.getRequestBody().readAllBytes(); x.sendResponseHeaders(200, body.length); x.getResponseBody().write(body); x.close(); });
    s.setExecutor(Executors.newFixedThreadPool(8));
    s.start();
    return s.getAddress().getPort();
  }

  static void rrset(String name, String type, String content) throws Exception {
    rrsetIn(zone, name, type, content);
  }

  static void rrsetIn(String inZone, String name, String type, String content) throws Exception {
    pdns("PATCH", "/api/v1/servers/localhost/zones/" + inZone, "{\"rrsets\":[{\"name\":\"" + name
        + "\",\"type\":\"" + type + "\",\"ttl\":1,\"changetype\":\"REPLACE\",\"records\":[{\"content\":\""
        + content + "\",\"disabled\":false}]}]}");
  }

  static void pdns(String method, String path, String body) throws Exception {
    http(method, pdnsApi + path, body, Map.of("X-API-Key", pdnsKey, "Accept", "application/json"));
  }

  static String http(String method, String url, String body, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .method(method, HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(b::header);
    HttpResponse<String> r = plain.send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() >= 300 && !(r.statusCode() == 409 && url.endsWith("/zones"))) {
      throw new IllegalStateException(method + " " + url + " -> " + r.statusCode() + " " + r.body());
    }
    return r.body();
  }
}
