package kr.codeb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import kr.codeb.CodeBException;
import kr.codeb.deploy.DeployContext;
import kr.codeb.deploy.DeployKey;
import kr.codeb.deploy.DeployProgress;
import kr.codeb.deploy.DeployRequest;
import kr.codeb.deploy.Deployments;
import kr.codeb.deploy.EnvSource;
import kr.codeb.deploy.HealthCheck;
import kr.codeb.model.Environment;
import kr.codeb.model.IpAddress;
import kr.codeb.model.ProjectName;
import kr.codeb.ports.SsotStore;
import kr.codeb.proxy.ReverseProxy;
import kr.codeb.proxy.Route;
import kr.codeb.proxy.Upstream;
import kr.codeb.runtime.ContainerRuntime;
import kr.codeb.ssot.FileReleaseStore;
import kr.codeb.tck.TestEngines;
import org.junit.jupiter.api.Test;

/**
 * Faults of a deploy against real Docker and the real Caddy: an environment value the engine
 * refuses (and quotes), a host another route holds, a host taken away from the route between
 * deploys, a pull that fails with both slots running, a rollback that must recreate a release
 * with an environment.
 */
class RealDeployFaultsTest extends RealDeployHarness {
  @Override
  protected String runtimeUri() {
    String dockerHost = TestEngines.require("CODEB_TEST_DOCKER_HOST").strip();
    return dockerHost.startsWith("docker") ? dockerHost : "docker+" + dockerHost;
  }

  @Override
  protected String image(String tag) {
    return TestEngines.require("CODEB_TEST_EXAMPLE_IMAGE").strip() + ":" + tag;
  }

  @Override
  protected int portRangeStart() {
    return 46900;
  }

  DeployKey key() {
    return new DeployKey(ProjectName.of(project), Environment.of(ENV));
  }

  @Test
  void anEnvironmentValueTheEngineQuotesInItsErrorIsRedactedEverywhere() throws IOException {
    String secret = "SECRET" + Long.toHexString(System.nanoTime());
    Map<String, String> env = Map.of("A", secret + "\u0000", "B", secret);
    CodeBException e;
    try (SsotStore ssotStore = providers().ssotStore(ssot.toString());
         ContainerRuntime runtime = providers().containerRuntime(runtimeUri());
         ReverseProxy proxy = providers().reverseProxy(proxyUri);
         FileReleaseStore releases = FileReleaseStore.besideSsot(ssot)) {
      Deployments deployments = new Deployments(DeployContext.local(ssotStore, runtime, proxy,
          releases));
      DeployRequest request = DeployRequest.builder(key(), image("v1")).hosts(List.of(host))
          .env(env, new EnvSource(java.util.Optional.empty(), List.of("A", "B")))
          .health(HealthCheck.http("/health").withDeadline(java.time.Duration.ofSeconds(20)))
          .build();
      e = assertThrows(CodeBException.class,
          () -> deployments.deploy(request, DeployProgress.SILENT));
    }
    assertFalse(e.getMessage().contains(secret), e.getMessage());
    assertTrue(e.getMessage().contains("[redacted]"), "the engine quoted the value: "
        + e.getMessage());
    String history = Files.readString(ssot.resolveSibling("releases")
        .resolve(project + "-" + ENV + ".jsonl"), StandardCharsets.UTF_8);
    assertTrue(history.contains("\"outcome\":\"failed\""), history);
    assertFalse(history.contains(secret), history);
    for (String json : List.of("", "--json")) {
      WeRunner.Result slot = json.isEmpty() ? we("slot", project, "--env", ENV).expect(0)
          : we("slot", project, "--env", ENV, json).expect(0);
      assertFalse(slot.out().contains(secret), slot.out());
      assertTrue(slot.out().contains("[redacted]"), slot.out());
    }
  }

  @Test
  void aHostAnotherRouteMatchesIsRefusedBeforeAnyContainerStarts() {
    String wild = "*.wild-" + project + ".test";
    try (ReverseProxy proxy = providers().reverseProxy(proxyUri)) {
      proxy.upsert(new Route(nobody() + "-" + ENV, List.of(wild),
          new Upstream(IpAddress.of("127.0.0.1"), rangeStart + RANGE_SIZE - 1)));
    }
    WeRunner.Result r = WeRunner.run(environment(), fleetArgs("deploy", project, "--env", ENV,
        "--image", image("v1"), "--host", "x.wild-" + project + ".test", "--json")).expect(1);
    assertEquals("conflict", r.errorJson().at("/error/kind").asText(), r.err());
    assertTrue(r.err().contains("host x.wild-" + project + ".test is matched by " + wild
        + " of route " + nobody() + "-" + ENV), r.err());
    assertTrue(containers(project).isEmpty(), "no container was started");
    assertTrue(route(project).isEmpty(), "no route was made");
    we("deploy", project, "--env", ENV, "--image", image("v1"), "--host", wild).expect(2);
  }

  @Test
  void theSwitchIsConfirmedForEachHostOfTheRoute() throws Exception {
    deploy("v1").expect(0);
    assertServes("v1");
    String server = serverOf("codeb-route-" + project + "-" + ENV);
    String foreign = "foreign-" + project;
    // Someone else's route, tried first, now takes the project's host.
    admin("PUT", "/config/apps/http/servers/" + server + "/routes/0", "{\"@id\":\"" + foreign
        + "\",\"match\":[{\"host\":[\"" + host + "\"]}],\"handle\":[{\"handler\":"
        + "\"static_response\",\"body\":\"foreign\"}],\"terminal\":true}");
    try {
      WeRunner.Result r = WeRunner.run(environment(), fleetArgs("deploy", project, "--env", ENV,
          "--image", image("v2"), "--drain", "0s", "--health-timeout", "20s",
          "--keep-images", "10", "--json")).expect(1);
      JsonNode j = r.json();
      assertEquals("switch-unknown", j.get("outcome").asText(), j.toString());
      assertTrue(j.get("reason").asText().contains("requests for " + host + " are taken by a"
          + " route CodeB does not manage (#0 in server " + server + ")"), j.toString());
      assertTrue(j.get("reason").asText().contains("`we slot " + project + " --env " + ENV
          + "`"), j.toString());
      JsonNode last = lastHistory();
      assertEquals("switch-unknown", last.get("outcome").asText(), last.toString());
    } finally {
      admin("DELETE", "/id/" + foreign, null);
    }
  }

  @Test
  void aPullThatFailsLeavesTheRollbackInPlace() {
    deploy("v1").expect(0);
    deploy("v2").expect(0);
    Map<String, String> before = containerStates(project);
    WeRunner.Result r = WeRunner.run(environment(), fleetArgs("deploy", project, "--env", ENV,
        "--image", "127.0.0.1:1/nosuch:v9", "--drain", "0s", "--json"));
    assertTrue(r.code() != 0, r.err());
    assertEquals(before, containerStates(project), "both slots are as they were");
    JsonNode back = we("rollback", project, "--env", ENV, "--json").expect(0).json();
    assertEquals(image("v1"), back.get("image").asText(), back.toString());
    assertTrue(back.get("environmentNote").isNull(), "an instant rollback recreates nothing");
  }

  @Test
  void aRollbackThatRecreatesTheReleaseGivesItItsEnvironment() throws Exception {
    Path envFile = WeRunner.writePrivate(dir.resolve("app.env"),
        "DB_URL=postgres://db/app\nexport GREETING='hi there'\n".getBytes(StandardCharsets.UTF_8));
    WeRunner.run(environment(), withDeploy("v1", "--env-file", envFile.toString(), "-e",
        "TOKEN=tok-1")).expect(0);
    deploy("v2").expect(0);
    try (ContainerRuntime runtime = providers().containerRuntime(runtimeUri())) {
      runtime.remove(new kr.codeb.runtime.ContainerId(project + "-" + ENV + "-blue"));
    }
    WeRunner.Result refused = we("rollback", project, "--env", ENV).expect(2);
    assertTrue(refused.err().contains("values given with -e are not kept"), refused.err());
    assertTrue(containers(project).stream().noneMatch(c -> c.name().endsWith("-blue")),
        "nothing started without its environment");

    JsonNode back = we("rollback", project, "--env", ENV, "-e", "TOKEN=tok-1",
        "--env-file", envFile.toString(), "--json").expect(0).json();
    assertEquals(image("v1"), back.get("image").asText(), back.toString());
    assertTrue(back.get("environmentNote").asText().contains("the same values as the release had"),
        back.toString());
    String env = containerEnv(project + "-" + ENV + "-blue");
    assertTrue(env.contains("DB_URL=postgres://db/app") && env.contains("GREETING=hi there")
        && env.contains("TOKEN=tok-1"), env);
    assertFalse(back.toString().contains("tok-1"), back.toString());
  }

  /**
   * The admin API lost mid-deploy, after each number of requests a deploy makes: whatever the
   * exit, the history matches the route read straight from Caddy, every started container's
   * release is in the history, and only an answer that cannot be read back is "unknown".
   */
  @Test
  void withTheAdminApiLostAfterKRequestsTheHistoryMatchesTheRoute() throws Exception {
    deploy("v1").expect(0);
    int adminPort = URI.create(adminUrl()).getPort();
    String tag = "v1";
    for (AdminForwarder.Mode mode : AdminForwarder.Mode.values()) {
      for (int k = 0; k <= 8; k++) {
        tag = tag.equals("v1") ? "v2" : "v1";
        WeRunner.Result r;
        int sent;
        try (AdminForwarder forwarder = new AdminForwarder(adminPort, mode, k)) {
          String viaForwarder = proxyUri.replaceFirst("//[^/?]+", "//127.0.0.1:" + forwarder.port());
          r = WeRunner.run(environment(), "--ssot", ssot.toString(), "--runtime", runtimeUri(),
              "--proxy", viaForwarder, "deploy", project, "--env", ENV, "--image", image(tag),
              "--drain", "0s", "--health-timeout", "20s", "--keep-images", "10", "--json");
          sent = forwarder.requests();
        }
        String what = mode + " k=" + k + " (" + sent + " requests): exit " + r.code() + " "
            + r.out() + r.err();
        List<kr.codeb.deploy.ReleaseRecord> history;
        try (FileReleaseStore releases = FileReleaseStore.besideSsot(ssot)) {
          history = releases.history(key());
        }
        Route route = route(project).orElseThrow();
        for (var c : containers(project)) {
          String release = c.labels().get("codeb.release");
          assertTrue(history.stream().anyMatch(h -> h.release().equals(release)),
              "container " + c.name() + " of release " + release + " is in the history; " + what);
        }
        kr.codeb.deploy.ReleaseRecord last = history.get(history.size() - 1);
        boolean routeOnLast = route.upstream().port() == last.port();
        switch (last.outcome()) {
          case DEPLOYED -> assertTrue(routeOnLast, what);
          case FAILED -> assertFalse(routeOnLast, what);
          case SWITCH_UNKNOWN -> {
            assertTrue(last.message().contains("`we slot " + project), what);
            assertEquals(AdminForwarder.Mode.SERVE_FIRST_K, mode,
                "an answer that can be read back is never unknown; " + what);
          }
          default -> throw new AssertionError(what);
        }
        if (r.code() == 0) {
          JsonNode j = r.json();
          assertEquals("deployed", j.get("outcome").asText(), what);
          assertEquals(j.get("release").asText(), last.release(), what);
          assertEquals(j.get("port").asInt(), route.upstream().port(), what);
        }
        System.out.println("E2E-ADMIN-LOST: " + mode + " k=" + k + " requests=" + sent
            + " exit=" + r.code() + " last=" + last.outcome() + " routeOnLast=" + routeOnLast
            + " " + r.err().strip());
        tag = servedTag();
        assertServes(tag);
      }
    }
  }

  /** The tag of the image the live slot runs, read from the engine. */
  String servedTag() {
    Route route = route(project).orElseThrow();
    for (var c : containers(project)) {
      if (c.ports().stream().anyMatch(p -> p.hostPort() == route.upstream().port())) {
        return c.image().substring(c.image().lastIndexOf(':') + 1);
      }
    }
    throw new AssertionError("no container serves port " + route.upstream().port());
  }

  String[] withDeploy(String tag, String... more) {
    List<String> all = new java.util.ArrayList<>(List.of(deployArgs(tag)));
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  String containerEnv(String name) throws Exception {
    Process p = new ProcessBuilder("docker", "inspect", "--format",
        "{{range .Config.Env}}{{println .}}{{end}}", name).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    return out;
  }

  JsonNode lastHistory() {
    JsonNode history = slots().get("history");
    return history.get(history.size() - 1);
  }

  String adminUrl() {
    return TestEngines.require("CODEB_TEST_CADDY_ADMIN").strip().replaceFirst("/+$", "");
  }

  String admin(String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(adminUrl() + path))
        .header("Content-Type", "application/json");
    b = body == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
        : b.method(method, HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> r = HttpClient.newHttpClient().send(b.build(),
        HttpResponse.BodyHandlers.ofString());
    assertTrue(r.statusCode() / 100 == 2, method + " " + path + ": " + r.statusCode() + " "
        + r.body());
    return r.body();
  }

  String serverOf(String routeId) throws Exception {
    JsonNode servers = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(admin("GET", "/config/apps/http/servers", null));
    for (var it = servers.fields(); it.hasNext(); ) {
      var e = it.next();
      for (JsonNode r : e.getValue().path("routes")) {
        if (routeId.equals(r.path("@id").asText())) {
          return e.getKey();
        }
      }
    }
    throw new AssertionError("no server holds " + routeId);
  }
}
