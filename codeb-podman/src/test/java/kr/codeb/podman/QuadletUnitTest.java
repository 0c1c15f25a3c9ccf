package kr.codeb.podman;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import kr.codeb.InvalidRequestException;
import kr.codeb.model.IpAddress;
import kr.codeb.runtime.BootUnits;
import kr.codeb.runtime.ContainerSpec;
import kr.codeb.runtime.PortBinding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Quadlet unit against the documented format (podman-systemd.unit(5); no systemd here):
 * a small parser checks the sections, that every key is one Quadlet or systemd knows in its
 * section, and reads the values back the way systemd splits words.
 */
class QuadletUnitTest {
  /** The sections and keys a .container unit may have (podman-systemd.unit(5), systemd.unit(5)). */
  private static final Map<String, Set<String>> KNOWN = Map.of(
      "Unit", Set.of("Description", "After", "Requires", "Wants", "Before"),
      "Container", Set.of("Image", "ContainerName", "PublishPort", "Environment",
          "EnvironmentFile", "Label", "Annotation", "Exec", "HealthCmd", "HealthInterval",
          "HealthRetries", "HealthStartPeriod", "HealthTimeout", "Network", "Volume", "User"),
      "Service", Set.of("Restart", "TimeoutStartSec", "RestartSec"),
      "Install", Set.of("WantedBy", "RequiredBy"));

  @TempDir Path dir;

  private static ContainerSpec spec(Map<String, String> env, List<String> command) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("codeb.project", "web");
    labels.put("codeb.env", "production");
    labels.put("codeb.slot", "blue");
    labels.put("codeb.note", "a \"quoted\" 100% note");
    return new ContainerSpec("web-production-blue", "localhost/acme/web:1.2", labels, env,
        List.of(new PortBinding(IpAddress.of("127.0.0.1"), 4100, 8080),
            new PortBinding(IpAddress.of("::1"), 4100, 8080)), command);
  }

  /** section -> key -> values, in order; fails on anything that is not a known key. */
  static Map<String, Map<String, List<String>>> parse(String text) {
    Map<String, Map<String, List<String>>> out = new LinkedHashMap<>();
    String section = null;
    for (String line : text.split("\n", -1)) {
      if (line.isBlank() || line.startsWith("#") || line.startsWith(";")) {
        continue;
      }
      if (line.startsWith("[")) {
        assertTrue(line.endsWith("]"), line);
        section = line.substring(1, line.length() - 1);
        assertTrue(KNOWN.containsKey(section), "unknown section " + section);
        assertFalse(out.containsKey(section), "section twice: " + section);
        out.put(section, new LinkedHashMap<>());
        continue;
      }
      assertTrue(section != null, "a key before any section: " + line);
      int eq = line.indexOf('=');
      assertTrue(eq > 0, "not KEY=VALUE: " + line);
      String key = line.substring(0, eq);
      assertTrue(KNOWN.get(section).contains(key), "unknown key " + key + " in [" + section + "]");
      out.get(section).computeIfAbsent(key, k -> new ArrayList<>()).add(line.substring(eq + 1));
    }
    return out;
  }

  /** Splits a value into words as systemd does (double quotes, backslash escapes, %%). */
  static List<String> words(String value) {
    List<String> words = new ArrayList<>();
    StringBuilder w = null;
    boolean quoted = false;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '%') {
        assertEquals('%', value.charAt(++i), "a lone % is a systemd specifier: " + value);
      }
      if (quoted) {
        if (c == '\\') {
          w.append(value.charAt(++i));
        } else if (c == '"') {
          quoted = false;
        } else {
          w.append(c);
        }
      } else if (c == ' ') {
        if (w != null) {
          words.add(w.toString());
          w = null;
        }
      } else {
        if (w == null) {
          w = new StringBuilder();
        }
        if (c == '"') {
          quoted = true;
        } else {
          assertFalse(c == '\\', "an unquoted backslash: " + value);
          w.append(c);
        }
      }
    }
    assertFalse(quoted, "an unclosed quote: " + value);
    if (w != null) {
      words.add(w.toString());
    }
    return words;
  }

  @Test
  void theUnitHasTheDocumentedSectionsAndKeys() {
    String secret = "s3cret value with spaces";
    QuadletUnit unit = QuadletUnit.of(spec(Map.of("DB_PASSWORD", secret, "MODE", "prod"),
        List.of("/bin/httpd", "-f", "-p", "8080", "-h", "/www root")),
        QuadletUnit.Options.defaults().withHealthCmd("wget -q -O- http://127.0.0.1:8080/health")
            .withHealthInterval(Duration.ofSeconds(5)));
    String text = unit.text(Path.of("/etc/containers/systemd/web-production-blue.env"));
    assertFalse(text.contains(secret), text);
    assertFalse(text.contains("DB_PASSWORD"), text);

    Map<String, Map<String, List<String>>> units = parse(text);
    assertEquals(List.of("Unit", "Container", "Service", "Install"), List.copyOf(units.keySet()));
    Map<String, List<String>> c = units.get("Container");
    assertEquals(List.of("localhost/acme/web:1.2"), c.get("Image"));
    assertEquals(List.of("web-production-blue"), c.get("ContainerName"));
    assertEquals(List.of("127.0.0.1:4100:8080", "[::1]:4100:8080"), c.get("PublishPort"));
    assertEquals(List.of("/etc/containers/systemd/web-production-blue.env"),
        c.get("EnvironmentFile"));
    List<String> labels = c.get("Label").stream().map(v -> {
      List<String> w = words(v);
      assertEquals(1, w.size(), v);
      return w.get(0);
    }).toList();
    assertEquals(List.of("codeb.project=web", "codeb.env=production", "codeb.slot=blue",
        "codeb.note=a \"quoted\" 100% note"), labels);
    assertEquals(List.of("/bin/httpd", "-f", "-p", "8080", "-h", "/www root"),
        words(c.get("Exec").get(0)));
    assertEquals(List.of("wget -q -O- http://127.0.0.1:8080/health"), c.get("HealthCmd"));
    assertEquals(List.of("5s"), c.get("HealthInterval"));
    assertEquals(List.of("always"), units.get("Service").get("Restart"));
    assertEquals(List.of("default.target"), units.get("Install").get("WantedBy"));
    assertEquals(List.of("CodeB slot web-production-blue"), units.get("Unit").get("Description"));
  }

  @Test
  void shortImageNamesAreQualifiedAndNoEnvironmentMeansNoEnvFile() {
    ContainerSpec bare = new ContainerSpec("app", "nginx:1.25", Map.of(), Map.of(), List.of(),
        List.of());
    QuadletUnit unit = QuadletUnit.of(bare, QuadletUnit.Options.defaults());
    Map<String, List<String>> c = parse(unit.text(Path.of("/x/app.env"))).get("Container");
    assertEquals(List.of("docker.io/library/nginx:1.25"), c.get("Image"));
    assertFalse(c.containsKey("EnvironmentFile"));
    assertFalse(c.containsKey("Exec"));
    assertFalse(c.containsKey("HealthCmd"));
    BootUnits.Written written = unit.write(dir);
    assertTrue(written.envFile().isEmpty());
    assertFalse(Files.exists(dir.resolve("app.env")));
  }

  @Test
  void podmanOffersQuadletUnitsAsItsBootUnitsWithoutTouchingTheEngine() throws Exception {
    ContainerSpec spec = spec(Map.of("TOKEN", "t0k"), List.of());
    try (PodmanRuntime podman = PodmanRuntime.create(
        PodmanConfig.unix(dir.resolve("no-engine.sock")))) {
      BootUnits.Written w = podman.bootUnits().orElseThrow().write(spec, dir.resolve("boot"));
      Path expected = dir.resolve("direct");
      QuadletUnit.of(spec, QuadletUnit.Options.defaults()).write(expected);
      assertEquals(Files.readString(expected.resolve(w.unit().getFileName()))
              .replace(expected.toString(), dir.resolve("boot").toString()),
          Files.readString(w.unit()));
      assertEquals("TOKEN=t0k", Files.readString(w.envFile().orElseThrow()).strip());
    }
  }

  @Test
  void writeIsAtomicWithTheModesAndTheSecretsOnlyInTheEnvFile() throws Exception {
    QuadletUnit unit = QuadletUnit.of(spec(Map.of("DB_PASSWORD", "p=w d#1", "EMPTY", ""),
        List.of()), QuadletUnit.Options.defaults());
    Path target = dir.resolve("systemd");
    BootUnits.Written w = unit.write(target);
    assertEquals(target.resolve("web-production-blue.container"), w.unit());
    assertEquals(target.resolve("web-production-blue.env"), w.envFile().orElseThrow());
    assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(w.unit())));
    assertEquals("rw-------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(w.envFile().get())));
    String env = Files.readString(w.envFile().get());
    assertEquals(Set.of("DB_PASSWORD=p=w d#1", "EMPTY="), Set.copyOf(env.lines().toList()));
    String text = Files.readString(w.unit());
    assertFalse(text.contains("p=w d#1"));
    assertEquals(List.of(w.envFile().get().toString()),
        parse(text).get("Container").get("EnvironmentFile"));
    // Rewriting replaces both; no temporary file is left behind.
    QuadletUnit.of(spec(Map.of("DB_PASSWORD", "new"), List.of()), QuadletUnit.Options.defaults())
        .write(target);
    assertEquals("DB_PASSWORD=new\n", Files.readString(w.envFile().get()));
    try (var files = Files.list(target)) {
      assertEquals(Set.of("web-production-blue.container", "web-production-blue.env"),
          Set.copyOf(files.map(p -> p.getFileName().toString()).toList()));
    }
  }

  @Test
  void valuesAUnitCannotHoldAreRefusedBeforeWriting() {
    assertThrows(InvalidRequestException.class, () -> QuadletUnit.of(
        spec(Map.of("MULTI", "line1\nline2"), List.of()), QuadletUnit.Options.defaults()));
    assertThrows(InvalidRequestException.class, () -> QuadletUnit.of(
        new ContainerSpec("app", "localhost/app:1", Map.of("note", "a\nb"), Map.of(), List.of(),
            List.of()), QuadletUnit.Options.defaults()));
    assertThrows(InvalidRequestException.class, () -> QuadletUnit.of(
        spec(Map.of(), List.of()), QuadletUnit.Options.defaults().withHealthCmd("a\tb")));
    assertThrows(InvalidRequestException.class,
        () -> QuadletUnit.Options.defaults().withHealthInterval(Duration.ZERO));
  }
}
