package kr.codeb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import kr.codeb.ProviderRegistry;
import kr.codeb.dns.DnsProvider;
import kr.codeb.proxy.ReverseProxy;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code we init} failing at a step and resumed by the same command, on the {@code mem:} proxy
 * and DNS and a seed SSOT copy: the message, the exit code, the journal, the resumed run.
 */
class InitResumeCommandsTest {
  @TempDir Path dir;
  InitMemFleet fleet;
  Path ssot;
  Path repo;
  String proxy;
  String dns;

  @BeforeEach
  void fleet() throws Exception {
    fleet = new InitMemFleet(dir, "resume");
    ssot = fleet.ssot;
    repo = fleet.repo;
    proxy = fleet.proxy;
    dns = fleet.dns;
  }

  WeRunner.Result init(String... more) {
    return fleet.init(more);
  }

  Path journal() {
    return dir.resolve("init/acme-production.json");
  }

  /** Each step id of the journal with its status. */
  Map<String, String> statuses() {
    Map<String, String> out = new HashMap<>();
    for (JsonNode s : WeRunner.tree(journal()).get("steps")) {
      out.put(s.get("step").asText(), s.get("status").asText());
    }
    return out;
  }

  @Test
  void aFailedStepStopsTheRunNamesItAndTheSameCommandResumesThere() throws Exception {
    // .github as a plain file: the workflow folder cannot be made (works as root too).
    Path blocker = Files.writeString(repo.resolve(".github"), "not a folder\n");

    WeRunner.Result failed = init();
    assertEquals(1, failed.code(), () -> "exit code\n" + failed.out() + failed.err());
    assertTrue(failed.err().contains("init step 7/8 (workflow: GitHub Actions workflow)"
        + " failed: cannot create " + repo.resolve(".github/workflows")), failed.err());
    assertTrue(failed.err().contains("steps 1-6 are done (journal " + journal() + ")"),
        failed.err());
    assertTrue(failed.err().contains("run the same command again to resume at step 7"),
        failed.err());
    assertTrue(failed.out().contains("[6/8] site (Caddy site): create"), failed.out());
    assertFalse(failed.out().contains("[8/8]"), "nothing after the failed step ran: "
        + failed.out());
    Map<String, String> after = statuses();
    assertEquals("done", after.get("dns"));
    assertEquals("done", after.get("site"));
    assertEquals("failed", after.get("workflow"));
    assertFalse(after.containsKey("tls"), "the step after the failure is not in the journal");
    try (ReverseProxy p = ProviderRegistry.load().reverseProxy(proxy)) {
      assertEquals(List.of("acme.example"), p.route("acme-production").orElseThrow().hosts(),
          "what the done steps made stays");
    }

    Files.delete(blocker);
    WeRunner.Result resumed = init().expect(0);
    assertTrue(resumed.out().contains("[1/8] ports (SSOT ports): unchanged"), resumed.out());
    assertTrue(resumed.out().contains("[5/8] dns (DNS zone and records): unchanged"),
        resumed.out());
    assertTrue(resumed.out().contains("[7/8] workflow (GitHub Actions workflow): create"),
        resumed.out());
    assertTrue(resumed.out().contains("note: resuming: the last run failed at step workflow"
        + " (cannot create"), resumed.out());
    assertTrue(resumed.out().contains("acme production: done"), resumed.out());
    assertTrue(Files.isRegularFile(repo.resolve(".github/workflows/acme-production.yml")));
    assertEquals("done", statuses().get("workflow"));
    assertEquals("done", statuses().get("tls"));
    try (DnsProvider d = ProviderRegistry.load().dnsProvider(dns)) {
      assertEquals(1, d.zones().size(), "the resumed run made no second zone");
    }

    byte[] journalBytes = Files.readAllBytes(journal());
    WeRunner.Result third = init().expect(0);
    assertTrue(third.out().contains("acme production: nothing to do"), third.out());
    assertFalse(third.out().contains("note: resuming"), third.out());
    assertTrue(java.util.Arrays.equals(journalBytes, Files.readAllBytes(journal())),
        "a run with nothing to do leaves the journal as it is");
  }
  @Test
  void aStorageServerWhoseSshIsDownFailsTheDatabasesStepNamedNotTheSetup() throws Exception {
    // db1's sshd is down (nothing listens on its port): it is opened by step 2 only.
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    Path key = dir.resolve("id_ed25519");
    Process keygen = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f",
        key.toString()).redirectErrorStream(true).start();
    assertEquals(0, keygen.waitFor());
    Files.writeString(fleet.config, "envDir: " + dir.resolve("env") + "\n"
        + "ssh:\n  user: codeb\n  key: " + key + "\n  knownHosts: "
        + Files.writeString(dir.resolve("known_hosts"), "") + "\n"
        + "servers:\n  - name: db1\n    roles: [storage]\n    public: 127.0.0.1\n"
        + "    private: 127.0.0.1\n    ssh: 127.0.0.1:" + closed + "\n"
        + "    engines:\n      runtime: docker://\n");
    WeRunner.Result plan = init("--with", "postgres", "--plan");
    assertEquals(1, plan.code(), plan.out() + plan.err());
    assertTrue(plan.err().contains("init step 2/8 (databases: "), plan.err());
    assertTrue(plan.err().contains("could not be planned"), plan.err());
    WeRunner.Result run = init("--with", "postgres");
    assertEquals(1, run.code(), run.out() + run.err());
    assertTrue(run.err().contains("init step 2/8 (databases: "), run.err());
    assertTrue(run.err().contains("step 1 is done"), run.err());
    assertTrue(run.out().contains("[1/8] ports"), run.out());
    assertEquals("done", statuses().get("ports"));
    assertEquals("failed", statuses().get("databases"));
  }

  @Test
  void aListenerThatServesNoCertificateFailsTheTlsStepAtItsDeadline() throws Exception {
    // A plain-TCP listener on loopback that answers like an HTTP-only server, then hangs up.
    try (ServerSocket plain = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread answer = new Thread(() -> {
        while (!plain.isClosed()) {
          try (Socket s = plain.accept()) {
            s.getOutputStream().write("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(
                StandardCharsets.US_ASCII));
          } catch (IOException e) {
            return; // closed by the test
          }
        }
      });
      answer.setDaemon(true);
      answer.start();
      String endpoint = "127.0.0.1:" + plain.getLocalPort();

      long start = System.nanoTime();
      WeRunner.Result failed = init("--tls-check", endpoint, "--tls-timeout", "800ms");
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertEquals(1, failed.code(), () -> "exit code\n" + failed.out() + failed.err());
      assertTrue(failed.err().contains("init step 8/8 (tls: TLS certificate) failed: no"
          + " certificate for acme.example from " + endpoint + " within the 800 ms deadline"
          + " (last try: "), failed.err());
      assertTrue(failed.err().contains("check that acme.example resolves to the edge, that the"
          + " proxy listens for HTTPS on " + endpoint), failed.err());
      assertTrue(failed.err().contains("--tls-timeout"), failed.err());
      assertTrue(failed.err().contains("steps 1-7 are done"), failed.err());
      assertTrue(millis < 30_000, "the deadline bounds the wait: " + millis + " ms");
      Map<String, String> after = statuses();
      for (String done : List.of("ports", "databases", "env", "firewall", "dns", "site",
          "workflow")) {
        assertEquals("done", after.get(done), done + " stays done: " + after);
      }
      assertEquals("failed", after.get("tls"));
      assertTrue(Files.isRegularFile(repo.resolve(".github/workflows/acme-production.yml")));

      WeRunner.Result again = init("--tls-check", endpoint, "--tls-timeout", "0").expect(1);
      assertTrue(again.out().contains("[7/8] workflow (GitHub Actions workflow): unchanged"),
          again.out());
      assertTrue(again.err().contains("within the 0 s deadline"), again.err());
    }
  }
  @Test
  void anotherProcessHoldingTheProjectsInitLockMakesInitFailAtOnce() throws Exception {
    // A second JVM holds the lock beside the journal, as a concurrent `we init` would.
    Path holder = Files.writeString(dir.resolve("Holder.java"), """
        import java.nio.channels.FileChannel;
        import java.nio.file.*;
        public class Holder {
          public static void main(String[] a) throws Exception {
            Path f = Path.of(a[0]);
            Files.createDirectories(f.getParent());
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); var l = ch.lock()) {
              ch.write(java.nio.ByteBuffer.wrap("other-user@host pid 4242 on host".getBytes()));
              System.out.println("locked");
              System.in.read();
            }
          }
        }
        """);
    Path lock = dir.resolve("init/acme-production.lock");
    String javaBin = ProcessHandle.current().info().command().orElse("java");
    Process other = new ProcessBuilder(javaBin, holder.toString(), lock.toString())
        .redirectErrorStream(true).start();
    try {
      String line = new java.io.BufferedReader(new java.io.InputStreamReader(
          other.getInputStream(), StandardCharsets.UTF_8)).readLine();
      assertEquals("locked", line);
      byte[] seed = WeRunner.bytes(ssot);

      WeRunner.Result refused = init().expect(1);
      assertTrue(refused.err().contains("another we init or destroy of acme production is"
          + " running (other-user@host pid 4242 on host; lock " + lock + "): let it finish,"
          + " then run the same command again"), refused.err());
      assertFalse(Files.exists(journal()), "the refused run wrote no journal");
      assertTrue(java.util.Arrays.equals(seed, WeRunner.bytes(ssot)), "nor the SSOT");
      try (ReverseProxy p = ProviderRegistry.load().reverseProxy(proxy)) {
        assertTrue(p.routes().isEmpty(), "nor a route");
      }
    } finally {
      other.getOutputStream().close();
      assertEquals(0, other.waitFor(), "the holder ended cleanly");
    }
    init().expect(0);
    assertTrue(Files.readString(lock).contains(" pid " + ProcessHandle.current().pid() + " "),
        "the lock file names its last holder");
    init().expect(0);
  }
}
