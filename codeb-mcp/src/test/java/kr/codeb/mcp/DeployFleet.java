package kr.codeb.mcp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import kr.codeb.ProviderRegistry;
import kr.codeb.proxy.ReverseProxy;
import kr.codeb.runtime.ContainerInfo;
import kr.codeb.runtime.ContainerRuntime;
import kr.codeb.tck.TestEngines;

/**
 * A project of the test's own on the real engines (Docker and Caddy from {@code CODEB_TEST_*}):
 * its SSOT file with a free block of ports, the provider URIs, the example app's images, and
 * removal of its containers and route afterwards.
 */
final class DeployFleet implements AutoCloseable {
  static final String ENV = "production";
  private static final int RANGE_SIZE = 100;

  final String runtimeUri;
  final String proxyUri;
  final String project;
  final String host;
  final Path ssot;
  final int caddyPort;
  private final String exampleImage;

  DeployFleet(Path dir, int portHint) throws IOException {
    String docker = TestEngines.require("CODEB_TEST_DOCKER_HOST").strip();
    runtimeUri = docker.startsWith("docker") ? docker : "docker+" + docker;
    exampleImage = TestEngines.require("CODEB_TEST_EXAMPLE_IMAGE").strip();
    String admin = TestEngines.require("CODEB_TEST_CADDY_ADMIN").strip();
    caddyPort = Integer.parseInt(TestEngines.require("CODEB_TEST_CADDY_HTTP_PORT").strip());
    String authority = admin.replaceFirst("^https?://", "").replaceFirst("/+$", "");
    proxyUri = "caddy+http://" + authority + "?listen=127.0.0.1:" + caddyPort
        + "&auto_https=off";
    project = "mcp-" + String.format("%04x", ThreadLocalRandom.current().nextInt(0x10000));
    host = project + ".test";
    int start = freeBlockFrom(portHint);
    ssot = dir.resolve("ssot.json");
    Files.writeString(ssot, "{\"version\":\"7.0.0\",\"portRanges\":{\"" + ENV + "\":{\"start\":"
        + start + ",\"end\":" + (start + RANGE_SIZE - 1) + "}},\"projects\":{},"
        + "\"ports\":{\"allocated\":{}}}\n");
  }

  /** The example app: {@code v1}/{@code v2} answer {@code ok} on /health (port 8080). */
  String image(String tag) {
    return exampleImage + ":" + tag;
  }

  /** The server's provider variables. */
  Map<String, String> providerEnvironment() {
    return Map.of("CODEB_SSOT", ssot.toString(), "CODEB_RUNTIME", runtimeUri,
        "CODEB_PROXY", proxyUri);
  }

  private static int freeBlockFrom(int hint) {
    for (int start = hint; start + RANGE_SIZE <= 65535; start += RANGE_SIZE) {
      boolean free = true;
      for (int port = start; port < start + RANGE_SIZE && free; port++) {
        try (ServerSocket probe = new ServerSocket()) {
          probe.bind(new InetSocketAddress("127.0.0.1", port));
        } catch (IOException taken) {
          free = false;
        }
      }
      if (free) {
        return start;
      }
    }
    throw new IllegalStateException("no free block of ports from " + hint);
  }

  @Override
  public void close() throws Exception {
    List<Exception> problems = new ArrayList<>();
    ProviderRegistry registry = ProviderRegistry.load(System::getenv);
    try (ContainerRuntime runtime = registry.containerRuntime(runtimeUri)) {
      for (ContainerInfo c : runtime.list(Map.of("codeb.project", project))) {
        runtime.remove(c.id());
      }
    } catch (Exception e) {
      problems.add(e);
    }
    try (ReverseProxy proxy = registry.reverseProxy(proxyUri)) {
      proxy.remove(project + "-" + ENV);
    } catch (Exception e) {
      problems.add(e);
    }
    if (!problems.isEmpty()) {
      throw problems.get(0);
    }
  }
}
