package kr.codeb.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.api.model.PushResponseItem;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import kr.codeb.AuthException;
import kr.codeb.ProviderConfig;
import kr.codeb.Secret;
import kr.codeb.runtime.ContainerId;
import kr.codeb.runtime.ContainerInfo;
import kr.codeb.runtime.ContainerSpec;
import kr.codeb.runtime.ContainerState;
import kr.codeb.tck.TestEngines;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pulls from the test environment's registries. Each test pushes the test image under a tag of
 * its own, removes the local copy of that tag, and lets {@code run} pull it, so it never
 * disturbs the shared {@code codeb-test/busybox-httpd:latest} tags other tests use.
 */
class DockerRegistryPullTest {
  private final String run = Long.toHexString(System.nanoTime() & 0xffffffffL);
  private final List<String> containers = new ArrayList<>();
  private final List<String> images = new ArrayList<>();
  private DockerClient docker;
  private DockerRuntime runtime;

  @BeforeEach
  void connect() {
    URI host = URI.create(TestEngines.require("CODEB_TEST_DOCKER_HOST"));
    docker = DockerClientImpl.getInstance(
        DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(host.toString())
            .withDockerTlsVerify(false).build(),
        new ZerodepDockerHttpClient.Builder().dockerHost(host).build());
    runtime = DockerRuntime.create(DockerTestSupport.config());
  }

  @AfterEach
  void cleanUp() throws IOException {
    if (runtime == null) {
      return; // skipped before connecting
    }
    for (String name : containers) {
      runtime.remove(new ContainerId(name));
    }
    for (String image : images) {
      runtime.removeImage(image);
    }
    runtime.close();
    docker.close();
  }

  @Test
  void runPullsAnAbsentImageFromTheLocalRegistry() throws Exception {
    String registry = TestEngines.require("CODEB_TEST_REGISTRY");
    String image = pushUniqueTag(registry, Optional.empty());

    ContainerInfo info = runAndInspect(runtime, image);
    assertEquals(ContainerState.RUNNING, info.state(), info::toString);
    assertEquals(image, info.image());
  }

  @Test
  void runPullsWithExplicitCredentialsFromTheAuthRegistry() throws Exception {
    String registry = TestEngines.require("CODEB_TEST_REGISTRY_AUTH");
    AuthConfig auth = testAuth(registry);
    String image = pushUniqueTag(registry, Optional.of(auth));

    try (DockerRuntime withCredentials = DockerRuntime.create(DockerTestSupport.config()
        .withRegistryCredentials(auth.getUsername(), Secret.of(auth.getPassword()))
        .withRegistryHost(registry))) {
      ContainerInfo info = runAndInspect(withCredentials, image);
      assertEquals(ContainerState.RUNNING, info.state(), info::toString);
    }
  }

  @Test
  void factoryCredentialsFromTheEnvironmentWork() throws Exception {
    String registry = TestEngines.require("CODEB_TEST_REGISTRY_AUTH");
    AuthConfig auth = testAuth(registry);
    String image = pushUniqueTag(registry, Optional.of(auth));
    ProviderConfig config = new ProviderConfig(
        URI.create("docker+unix://" + URI.create(TestEngines.require("CODEB_TEST_DOCKER_HOST")).getPath()
            + "?registry=" + registry),
        Map.of(), DockerTestSupport.environment(Map.of(
            "CODEB_DOCKER_REGISTRY_USER", auth.getUsername(),
            "CODEB_DOCKER_REGISTRY_PASSWORD", auth.getPassword()))::apply);

    try (var fromFactory = new DockerRuntimeFactory().create(config)) {
      ContainerId id = fromFactory.run(spec(image));
      assertTrue(fromFactory.inspect(id).orElseThrow().isRunning());
    }
  }

  @Test
  void credentialsFromDockerConfigJsonWork(@TempDir Path dockerConfig) throws Exception {
    String registry = TestEngines.require("CODEB_TEST_REGISTRY_AUTH");
    AuthConfig auth = testAuth(registry);
    String image = pushUniqueTag(registry, Optional.of(auth));
    String encoded = Base64.getEncoder().encodeToString(
        (auth.getUsername() + ":" + auth.getPassword()).getBytes(StandardCharsets.UTF_8));
    Files.writeString(dockerConfig.resolve("config.json"),
        "{\"auths\":{\"http://" + registry + "\":{\"auth\":\"" + encoded + "\"}}}");

    try (DockerRuntime fromFile = DockerRuntime.create(DockerTestSupport.config()
        .withEnvironment(DockerTestSupport.environment(
            Map.of("DOCKER_CONFIG", dockerConfig.toString()))))) {
      ContainerInfo info = runAndInspect(fromFile, image);
      assertEquals(ContainerState.RUNNING, info.state(), info::toString);
    }
  }

  @Test
  void aWrongPasswordIsAnAuthExceptionThatNeverShowsThePassword() throws Exception {
    String registry = TestEngines.require("CODEB_TEST_REGISTRY_AUTH");
    AuthConfig auth = testAuth(registry);
    String image = pushUniqueTag(registry, Optional.of(auth));
    String wrong = "wrong-" + UUID.randomUUID();

    try (DockerRuntime withWrongPassword = DockerRuntime.create(DockerTestSupport.config()
        .withRegistryCredentials(auth.getUsername(), Secret.of(wrong)))) {
      ContainerSpec spec = spec(image);
      AuthException e = assertThrows(AuthException.class, () -> withWrongPassword.run(spec));
      assertEquals(Optional.of("docker"), e.provider());
      for (Throwable t = e; t != null; t = t.getCause()) {
        String text = t + " " + t.getMessage();
        assertFalse(text.contains(wrong), () -> "password leaked in " + text);
        assertFalse(text.contains(auth.getPassword()), () -> "password leaked in " + text);
      }
      assertTrue(withWrongPassword.inspect(new ContainerId(spec.name())).isEmpty());
    }
  }

  @Test
  void noCredentialsForTheAuthRegistryIsAnAuthException() throws Exception {
    String registry = TestEngines.require("CODEB_TEST_REGISTRY_AUTH");
    String image = pushUniqueTag(registry, Optional.of(testAuth(registry)));
    assertThrows(AuthException.class, () -> runtime.run(spec(image)));
  }

  private ContainerInfo runAndInspect(DockerRuntime r, String image) {
    ContainerId id = r.run(spec(image));
    return r.inspect(id).orElseThrow();
  }

  private ContainerSpec spec(String image) {
    String name = "codeb-pull-" + run + "-" + containers.size();
    containers.add(name);
    return new ContainerSpec(name, image, Map.of("codeb.test", "pull"), Map.of(), List.of(),
        List.of("sh", "-c", "exec sleep 3600"));
  }

  private static AuthConfig testAuth(String registry) {
    return new AuthConfig().withRegistryAddress(registry)
        .withUsername(TestEngines.require("CODEB_TEST_REGISTRY_AUTH_USER"))
        .withPassword(TestEngines.require("CODEB_TEST_REGISTRY_AUTH_PASSWORD"));
  }

  /** Tags the test image as REGISTRY/codeb-test/busybox-httpd:UNIQUE, pushes it, drops it locally. */
  private String pushUniqueTag(String registry, Optional<AuthConfig> auth) throws Exception {
    String repository = registry + "/codeb-test/busybox-httpd";
    String tag = "pull-" + run;
    String image = repository + ":" + tag;
    images.add(image);
    docker.tagImageCmd(TestEngines.require("CODEB_TEST_IMAGE"), repository, tag).exec();
    var push = docker.pushImageCmd(repository).withTag(tag);
    if (auth.isPresent()) {
      push = push.withAuthConfig(auth.get());
    }
    List<String> errors = new ArrayList<>();
    ResultCallback.Adapter<PushResponseItem> callback = new ResultCallback.Adapter<>() {
      @Override
      public void onNext(PushResponseItem item) {
        if (item.isErrorIndicated()) {
          errors.add(String.valueOf(item.getErrorDetail()));
        }
      }
    };
    assertTrue(push.exec(callback).awaitCompletion(120, TimeUnit.SECONDS), "push timed out");
    assertEquals(List.of(), errors, "push of " + image + " failed");
    assertTrue(runtime.removeImage(image), "local copy of " + image + " was not removed");
    assertFalse(runtime.removeImage(image));
    return image;
  }
}
