package kr.codeb.podman.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.exception.InternalServerErrorException;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Ulimit;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import kr.codeb.CodeBException;
import kr.codeb.ConflictException;
import kr.codeb.InvalidRequestException;
import kr.codeb.NotFoundException;
import kr.codeb.UnavailableException;
import kr.codeb.docker.internal.Errors;
import kr.codeb.podman.PodmanConfig;
import kr.codeb.runtime.ContainerSpec;
import kr.codeb.runtime.ContainerState;
import org.junit.jupiter.api.Test;

/** The Podman dialect's pure parts: limits, names, states, errors. */
class PodmanDialectTest {
  private static final String LIMITS = """
      Limit                     Soft Limit           Hard Limit           Units
      Max cpu time              unlimited            unlimited            seconds
      Max processes             96364                96364                processes
      Max open files            1024                 20000                files
      """;
  private static final ContainerSpec SPEC = new ContainerSpec("x", "localhost/a:1", Map.of(),
      Map.of(), List.of(), List.of());

  @Test
  void hostLimitsReadTheHardColumnAndCap() {
    HostLimits limits = HostLimits.parse(LIMITS);
    assertEquals(OptionalLong.of(20000), limits.nofile());
    assertEquals(OptionalLong.of(96364), limits.nproc());
    assertEquals(20000, limits.containerNofile());
    assertEquals(HostLimits.NPROC_CAP, limits.containerNproc());
    HostLimits unlimited = HostLimits.parse("Max open files  unlimited  unlimited  files\n");
    assertEquals(HostLimits.NOFILE_CAP, unlimited.containerNofile());
    assertEquals(HostLimits.FALLBACK, unlimited.containerNproc()); // unknown: the safe value
  }

  @Test
  void createGetsDerivedLimitsThenTheFallbackOnce() {
    PodmanDialect dialect = new PodmanDialect(PodmanConfig.auto(), HostLimits.parse(LIMITS),
        Clock.systemUTC());
    assertEquals(List.of("nofile=20000:20000", "nproc=4096:4096"), limits(dialect, 0));
    assertEquals(List.of("nofile=1024:1024", "nproc=1024:1024"), limits(dialect, 1));
    CodeBException rlimit = new UnavailableException("starting container x on podman failed:"
        + " error setting rlimit type 6: operation not permitted");
    assertTrue(dialect.retryStart(rlimit, 0));
    assertFalse(dialect.retryStart(rlimit, 1));
    assertFalse(dialect.retryStart(new UnavailableException("other"), 0));

    PodmanDialect explicit = new PodmanDialect(PodmanConfig.auto().withUlimits(333, 44),
        HostLimits.parse(LIMITS), Clock.systemUTC());
    assertEquals(List.of("nofile=333:333", "nproc=44:44"), limits(explicit, 0));
    assertFalse(explicit.retryStart(rlimit, 0), "configured limits are never second-guessed");
  }

  private static List<String> limits(PodmanDialect dialect, int attempt) {
    HostConfig host = HostConfig.newHostConfig();
    dialect.customize(host, SPEC, attempt);
    return java.util.Arrays.stream(host.getUlimits())
        .map((Ulimit u) -> u.getName() + "=" + u.getSoftLong() + ":" + u.getHardLong()).toList();
  }

  @Test
  void imageNamesAreQualifiedLikeDockerReadsThem() {
    assertEquals("docker.io/library/nginx:1.25", ImageNames.qualify("nginx:1.25"));
    assertEquals("docker.io/library/nginx", ImageNames.qualify("nginx"));
    assertEquals("docker.io/acme/web:2", ImageNames.qualify("acme/web:2"));
    assertEquals("localhost/codeb-example/web:v1", ImageNames.qualify("localhost/codeb-example/web:v1"));
    assertEquals("ghcr.io/acme/web:1", ImageNames.qualify("ghcr.io/acme/web:1"));
    assertEquals("127.0.0.1:5000/app", ImageNames.qualify("127.0.0.1:5000/app"));
    String id = "sha256:" + "a".repeat(64);
    assertEquals(id, ImageNames.qualify(id));
    assertThrows(InvalidRequestException.class, () -> ImageNames.qualify("Bad Name"));
  }

  @Test
  void podmanStatesMapToCodeBs() {
    PodmanDialect dialect = new PodmanDialect(PodmanConfig.auto());
    assertEquals(ContainerState.EXITED, dialect.state("stopped"));
    assertEquals(ContainerState.EXITED, dialect.state("exited"));
    assertEquals(ContainerState.CREATED, dialect.state("configured"));
    assertEquals(ContainerState.RUNNING, dialect.state("running"));
    assertEquals(ContainerState.UNKNOWN, dialect.state("removing"));
    assertEquals(ContainerState.UNKNOWN, dialect.state(null));
  }

  @Test
  void podmanErrorBodiesMapToTheFamily() {
    PodmanDialect dialect = new PodmanDialect(PodmanConfig.auto());
    CodeBException taken = Errors.map(new InternalServerErrorException("Status 500: "
        + "{\"cause\":\"that name is already in use\",\"message\":\"container create: the"
        + " container name \\\"web\\\" is already in use by 65a7. You have to remove that"
        + " container to be able to reuse that name: that name is already in use\","
        + "\"response\":500}\n"), "creating container web", "unix:///p.sock", List.of(), dialect);
    assertTrue(taken instanceof ConflictException, taken::toString);
    assertEquals("podman", taken.provider().orElseThrow());
    assertEquals(500, taken.httpStatus().getAsInt());
    assertTrue(taken.getMessage().startsWith("creating container web on podman at unix:///p.sock"
        + " failed: container create: the container name \"web\" is already in use"),
        taken.getMessage());
    assertFalse(taken.getMessage().contains("\"response\""), taken.getMessage());

    CodeBException inUse = Errors.map(new InternalServerErrorException("Status 500: "
        + "{\"cause\":\"image is in use by a container\",\"message\":\"image is in use by a"
        + " container: consider listing external containers\",\"response\":500}"),
        "removing image x", "here", List.of(), dialect);
    assertTrue(inUse instanceof ConflictException, inUse::toString);

    CodeBException gone = Errors.map(new InternalServerErrorException("Status 500: "
        + "{\"cause\":\"no such container\",\"message\":\"no container with name or ID"
        + " \\\"x\\\" found: no such container\",\"response\":500}"), "x", "here", List.of(),
        dialect);
    assertTrue(gone instanceof NotFoundException, gone::toString);

    CodeBException rlimit = Errors.map(new InternalServerErrorException("Status 500: "
        + "{\"cause\":\"OCI permission denied\",\"message\":\"runc: error setting rlimit type 7:"
        + " operation not permitted: OCI permission denied\",\"response\":500}"), "starting",
        "here", List.of(), dialect);
    assertTrue(rlimit instanceof UnavailableException, rlimit::toString);
    assertTrue(rlimit.getMessage().contains("rlimit"), rlimit.getMessage());
  }

  @Test
  void aHealthcheckIsDueAnIntervalAfterTheLastOne() throws Exception {
    String json = """
        {"Id":"abc","State":{"Status":"running","Running":true,
         "StartedAt":"2026-11-26T09:28:35.435173286Z",
         "Health":{"Status":"starting","FailingStreak":0,"Log":%s}},
         "Config":{"Healthcheck":{"Test":["CMD","true"],"Interval":5000000000}}}
        """;
    var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
    var noLog = mapper.readValue(String.format(json, "null"),
        com.github.dockerjava.api.command.InspectContainerResponse.class);
    var logged = mapper.readValue(String.format(json, "[{\"Start\":\"2026-11-26T09:28:50.0Z\","
        + "\"End\":\"2026-11-26T09:28:50.300Z\",\"ExitCode\":0,\"Output\":\"ok\"}]"),
        com.github.dockerjava.api.command.InspectContainerResponse.class);
    assertFalse(dialectAt("2026-11-26T09:28:39Z").due(noLog, noLog.getState().getHealth()));
    assertTrue(dialectAt("2026-11-26T09:28:41Z").due(noLog, noLog.getState().getHealth()));
    assertFalse(dialectAt("2026-11-26T09:28:55Z").due(logged, logged.getState().getHealth()));
    assertTrue(dialectAt("2026-11-26T09:28:55.300Z").due(logged, logged.getState().getHealth()));
  }

  private static PodmanDialect dialectAt(String now) {
    return new PodmanDialect(PodmanConfig.auto(), HostLimits.parse(LIMITS),
        Clock.fixed(Instant.parse(now), ZoneOffset.UTC));
  }
}
