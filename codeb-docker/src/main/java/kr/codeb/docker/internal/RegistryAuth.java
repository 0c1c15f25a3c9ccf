package kr.codeb.docker.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import kr.codeb.Secret;
import kr.codeb.docker.DockerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the credentials for pulling from one registry: explicit, then
 * {@code CODEB_DOCKER_REGISTRY_USER}/{@code _PASSWORD}, then the {@code auths} entry of the
 * Docker CLI's {@code config.json} ({@code $DOCKER_CONFIG}, default {@code ~/.docker}).
 * Credential helpers ({@code credsStore}, {@code credHelpers}) are not run.
 */
public final class RegistryAuth {
  private static final Logger LOG = LoggerFactory.getLogger(RegistryAuth.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> HUB = Set.of("docker.io", "index.docker.io",
      "registry-1.docker.io", "index.docker.io/v1", "registry.hub.docker.com");

  /** Credentials for one registry; {@code source} says where they came from (for logs). */
  public record Credentials(String registry, Optional<String> user, Optional<Secret> password,
      Optional<Secret> identityToken, String source) {
    @Override
    public String toString() {
      return "Credentials[registry=" + registry + ", source=" + source + "]";
    }
  }

  private RegistryAuth() {}

  public static Optional<Credentials> find(DockerConfig config, String registry) {
    boolean ours = config.registryHost().map(h -> sameRegistry(h, registry)).orElse(true);
    if (ours && config.registryUser().isPresent()) {
      return Optional.of(new Credentials(registry, config.registryUser(),
          config.registryPassword(), Optional.empty(), "explicit"));
    }
    String user = config.environment().apply("CODEB_DOCKER_REGISTRY_USER");
    String password = config.environment().apply("CODEB_DOCKER_REGISTRY_PASSWORD");
    if (ours && notBlank(user) && notBlank(password)) {
      return Optional.of(new Credentials(registry, Optional.of(user),
          Optional.of(Secret.of(password)), Optional.empty(), "environment"));
    }
    return fromConfigFile(config, registry);
  }

  private static Optional<Credentials> fromConfigFile(DockerConfig config, String registry) {
    Path file = configDir(config).resolve("config.json");
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    JsonNode auths;
    try {
      auths = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8)).path("auths");
    } catch (IOException | RuntimeException e) {
      LOG.warn("ignoring unreadable Docker config {} ({})", file, e.getClass().getSimpleName());
      return Optional.empty();
    }
    for (Map.Entry<String, JsonNode> entry : auths.properties()) {
      if (!sameRegistry(entry.getKey(), registry)) {
        continue;
      }
      JsonNode node = entry.getValue();
      String source = "config file " + file;
      if (notBlank(node.path("identitytoken").asText(null))) {
        return Optional.of(new Credentials(registry, Optional.empty(), Optional.empty(),
            Optional.of(Secret.of(node.path("identitytoken").asText())), source));
      }
      String encoded = node.path("auth").asText(null);
      if (notBlank(encoded)) {
        String decoded;
        try {
          decoded = new String(Base64.getDecoder().decode(encoded.strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
          LOG.warn("ignoring the malformed auth entry for {} in {}", registry, file);
          continue;
        }
        int colon = decoded.indexOf(':');
        if (colon > 0 && colon < decoded.length() - 1) {
          return Optional.of(new Credentials(registry, Optional.of(decoded.substring(0, colon)),
              Optional.of(Secret.of(decoded.substring(colon + 1))), Optional.empty(), source));
        }
      }
      String u = node.path("username").asText(null);
      String p = node.path("password").asText(null);
      if (notBlank(u) && notBlank(p)) {
        return Optional.of(new Credentials(registry, Optional.of(u), Optional.of(Secret.of(p)),
            Optional.empty(), source));
      }
    }
    return Optional.empty();
  }

  static Path configDir(DockerConfig config) {
    String dir = config.environment().apply("DOCKER_CONFIG");
    if (notBlank(dir)) {
      return Path.of(dir);
    }
    String home = config.environment().apply("HOME");
    return Path.of(notBlank(home) ? home : System.getProperty("user.home"), ".docker");
  }

  /** Whether two registry names (config.json keys may carry a scheme and a path) are the same. */
  static boolean sameRegistry(String a, String b) {
    String x = normalize(a);
    String y = normalize(b);
    return x.equals(y) || HUB.contains(x) && HUB.contains(y);
  }

  private static String normalize(String key) {
    String k = key.strip().toLowerCase(Locale.ROOT);
    k = k.replaceFirst("^[a-z]+://", "");
    while (k.endsWith("/")) {
      k = k.substring(0, k.length() - 1);
    }
    return k.equals("index.docker.io/v1") ? k : k.replaceFirst("/.*$", "");
  }

  private static boolean notBlank(String s) {
    return s != null && !s.isBlank();
  }
}
