package kr.codeb.docker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.exception.InternalServerErrorException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import kr.codeb.AuthException;
import kr.codeb.CodeBException;
import kr.codeb.NotFoundException;
import kr.codeb.Secret;
import kr.codeb.UnavailableException;
import kr.codeb.docker.DockerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Image name splitting, credential lookup order, and error mapping, without an engine. */
class NamesAndAuthTest {
  @Test
  void imageNamesSplitLikeDocker() {
    assertEquals(new ImageName("docker.io", "busybox", "latest"), ImageName.parse("busybox"));
    assertEquals(new ImageName("ghcr.io", "ghcr.io/acme/web", "1.2"),
        ImageName.parse("ghcr.io/acme/web:1.2"));
    assertEquals(new ImageName("127.0.0.1:5000", "127.0.0.1:5000/a/b", "latest"),
        ImageName.parse("127.0.0.1:5000/a/b"));
    assertEquals(new ImageName("localhost", "localhost/app", "sha256:" + "a".repeat(64)),
        ImageName.parse("localhost/app@sha256:" + "a".repeat(64)));
    assertEquals(new ImageName("docker.io", "acme/web", "2"), ImageName.parse("acme/web:2"));
  }

  @Test
  void credentialsFollowTheOrderAndTheRegistryRestriction(@TempDir Path dir) throws Exception {
    String encoded = Base64.getEncoder().encodeToString("fileuser:filepw".getBytes(StandardCharsets.UTF_8));
    Files.writeString(dir.resolve("config.json"), "{\"auths\":{"
        + "\"https://index.docker.io/v1/\":{\"auth\":\"" + encoded + "\"},"
        + "\"ghcr.io\":{\"username\":\"g\",\"password\":\"gpw\"}}}");
    Map<String, String> env = Map.of("DOCKER_CONFIG", dir.toString());
    DockerConfig base = DockerConfig.auto().withEnvironment(env::get);

    assertEquals("fileuser", RegistryAuth.find(base, "docker.io").orElseThrow().user().orElseThrow());
    assertEquals("g", RegistryAuth.find(base, "ghcr.io").orElseThrow().user().orElseThrow());
    assertTrue(RegistryAuth.find(base, "quay.io").isEmpty());

    DockerConfig withEnv = base.withEnvironment(Map.of("DOCKER_CONFIG", dir.toString(),
        "CODEB_DOCKER_REGISTRY_USER", "envuser", "CODEB_DOCKER_REGISTRY_PASSWORD", "envpw")::get);
    assertEquals("envuser", RegistryAuth.find(withEnv, "quay.io").orElseThrow().user().orElseThrow());

    DockerConfig explicit = withEnv.withRegistryCredentials("me", Secret.of("mypw"))
        .withRegistryHost("ghcr.io");
    assertEquals("me", RegistryAuth.find(explicit, "ghcr.io").orElseThrow().user().orElseThrow());
    // Restricted to ghcr.io: neither explicit nor environment credentials go to Docker Hub.
    assertEquals("fileuser", RegistryAuth.find(explicit, "docker.io").orElseThrow().user().orElseThrow());
    assertTrue(RegistryAuth.find(explicit, "quay.io").isEmpty());
    assertFalse(RegistryAuth.find(explicit, "ghcr.io").orElseThrow().toString().contains("mypw"));
  }

  @Test
  void engineErrorsMapToTheFamilyWithoutSecrets() {
    CodeBException auth = Errors.map(new InternalServerErrorException(
        "Status 500: {\"message\":\"Head \\\"http://r/v2/x/manifests/1\\\": unauthorized: hunter2\"}"),
        "pulling image r/x:1", "unix:///var/run/docker.sock", List.of("hunter2"));
    assertTrue(auth instanceof AuthException, auth::toString);
    assertEquals(500, auth.httpStatus().orElseThrow());
    assertFalse(auth.getMessage().contains("hunter2"), auth.getMessage());
    assertEquals(null, auth.getCause());
    assertTrue(Errors.map(new InternalServerErrorException(
        "Status 500: {\"message\":\"manifest for r/x:1 not found: manifest unknown\"}"),
        "pulling", "here", List.of()) instanceof NotFoundException);
    CodeBException io = Errors.map(new RuntimeException(new java.net.SocketException("Connection refused")),
        "pinging", "tcp://127.0.0.1:1", List.of());
    assertTrue(io instanceof UnavailableException, io::toString);
    assertTrue(io.getMessage().contains("tcp://127.0.0.1:1"), io.getMessage());
  }
}
