package kr.codeb.podman;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import kr.codeb.InvalidRequestException;
import kr.codeb.UnavailableException;
import kr.codeb.podman.internal.ImageNames;
import kr.codeb.runtime.BootUnits;
import kr.codeb.runtime.ContainerSpec;
import kr.codeb.runtime.PortBinding;

/**
 * A Quadlet {@code .container} unit for one slot, so that systemd (through Podman's Quadlet
 * generator, Podman &ge; 4.4) recreates the container at boot: Podman has no daemon that
 * restarts containers after a reboot. Pure: {@link #text(Path)} turns a {@link ContainerSpec}
 * and {@link Options} into the unit's text; {@link #write(Path)} writes it.
 *
 * <p>The unit has {@code [Unit]} Description, {@code [Container]} Image (fully qualified, as
 * {@link PodmanRuntime} runs it), ContainerName, PublishPort per port, EnvironmentFile when the
 * spec has an environment, one Label per label, Exec when the spec has a command, HealthCmd and
 * HealthInterval when given; {@code [Service]} Restart=always; {@code [Install]}
 * WantedBy=default.target. Values are quoted the way systemd splits words, {@code %} is escaped
 * as {@code %%} (systemd specifiers), and control characters are refused.
 *
 * <p>Environment values are secrets: they never go into the unit, only into a separate
 * {@code <name>.env} file (mode 0600, {@code KEY=VALUE} lines as {@code podman --env-file}
 * reads them, values taken literally; a value with a line break cannot be written and is
 * refused). The unit ({@code <name>.container}, mode 0644) is written after the env file, each
 * through a temporary file in the same folder and an atomic rename, so a reader never sees half
 * a file.
 *
 * <p>Podman 4.3 (Debian 12) has no Quadlet generator: the unit is then inert until Podman is
 * upgraded. System units belong in {@code /etc/containers/systemd/}; after writing, run
 * {@code systemctl daemon-reload} and {@code systemctl start <name>.service}. Resource limits
 * (nofile, nproc) are not written: the generated service runs under systemd's limits.
 */
public final class QuadletUnit {
  /** The folder Podman's Quadlet generator reads system units from. */
  public static final Path SYSTEM_DIR = Path.of("/etc/containers/systemd");

  private static final Set<PosixFilePermission> UNIT_MODE = PosixFilePermissions.fromString("rw-r--r--");
  private static final Set<PosixFilePermission> ENV_MODE = PosixFilePermissions.fromString("rw-------");

  /**
   * What the unit says beyond the spec.
   *
   * @param description the unit's Description (default: "CodeB slot NAME")
   * @param healthCmd a command Podman runs as the healthcheck ({@code HealthCmd}); empty to keep
   *     the image's own HEALTHCHECK
   * @param healthInterval how often it runs ({@code HealthInterval}); empty for Podman's default
   */
  public record Options(Optional<String> description, Optional<String> healthCmd,
      Optional<Duration> healthInterval) {
    public Options {
      Objects.requireNonNull(description, "description");
      Objects.requireNonNull(healthCmd, "healthCmd");
      Objects.requireNonNull(healthInterval, "healthInterval");
      healthCmd.ifPresent(c -> {
        if (c.isBlank()) {
          throw new InvalidRequestException("the Quadlet health command must not be blank");
        }
      });
      healthInterval.ifPresent(d -> {
        if (d.isNegative() || d.isZero()) {
          throw new InvalidRequestException("the Quadlet health interval must be positive, not "
              + d);
        }
      });
    }

    public static Options defaults() {
      return new Options(Optional.empty(), Optional.empty(), Optional.empty());
    }

    public Options withDescription(String text) {
      return new Options(Optional.of(text), healthCmd, healthInterval);
    }

    public Options withHealthCmd(String command) {
      return new Options(description, Optional.of(command), healthInterval);
    }

    public Options withHealthInterval(Duration interval) {
      return new Options(description, healthCmd, Optional.of(interval));
    }
  }

  private final ContainerSpec spec;
  private final Options options;

  private QuadletUnit(ContainerSpec spec, Options options) {
    this.spec = spec;
    this.options = options;
  }

  /** The unit for {@code spec}; checks every value now (nothing is written). */
  public static QuadletUnit of(ContainerSpec spec, Options options) {
    QuadletUnit unit = new QuadletUnit(Objects.requireNonNull(spec, "spec"),
        Objects.requireNonNull(options, "options"));
    unit.text(Path.of("/check/" + unit.envFileName()));
    unit.envText();
    return unit;
  }

  /** {@code <name>.container}; systemd names the service {@code <name>.service}. */
  public String fileName() {
    return spec.name() + ".container";
  }

  /** {@code <name>.env}. */
  public String envFileName() {
    return spec.name() + ".env";
  }

  /** The unit's text, pointing at {@code envFile} when the spec has an environment. */
  public String text(Path envFile) {
    StringBuilder out = new StringBuilder();
    out.append("# Written by CodeB for the container ").append(spec.name())
        .append(". Podman >= 4.4 (Quadlet) turns it into ").append(spec.name())
        .append(".service.\n");
    out.append("[Unit]\n");
    line(out, "Description", escape(options.description().orElse("CodeB slot " + spec.name())));
    out.append("\n[Container]\n");
    line(out, "Image", ImageNames.qualify(spec.image()));
    line(out, "ContainerName", spec.name());
    for (PortBinding p : spec.ports()) {
      String host = p.hostAddress().value().contains(":")
          ? "[" + p.hostAddress().value() + "]" : p.hostAddress().value();
      line(out, "PublishPort", host + ":" + p.hostPort() + ":" + p.containerPort());
    }
    if (!spec.env().isEmpty()) {
      Path env = envFile.toAbsolutePath();
      line(out, "EnvironmentFile", quote(env.toString()));
    }
    for (Map.Entry<String, String> label : spec.labels().entrySet()) {
      line(out, "Label", quote(label.getKey() + "=" + label.getValue()));
    }
    if (!spec.command().isEmpty()) {
      StringBuilder exec = new StringBuilder();
      for (String arg : spec.command()) {
        exec.append(exec.length() == 0 ? "" : " ").append(quote(arg));
      }
      line(out, "Exec", exec.toString());
    }
    options.healthCmd().ifPresent(c -> line(out, "HealthCmd", escape(c)));
    options.healthInterval().ifPresent(d -> line(out, "HealthInterval", seconds(d)));
    out.append("\n[Service]\n");
    line(out, "Restart", "always");
    out.append("\n[Install]\n");
    line(out, "WantedBy", "default.target");
    return out.toString();
  }

  /** The env file's text: {@code KEY=VALUE} lines, values literal. */
  public String envText() {
    StringBuilder out = new StringBuilder();
    for (Map.Entry<String, String> e : spec.env().entrySet()) {
      String value = e.getValue();
      if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0 || value.indexOf('\0') >= 0) {
        throw new InvalidRequestException("the environment variable " + e.getKey() + " has a"
            + " line break or NUL in its value, which an env file cannot hold");
      }
      out.append(e.getKey()).append('=').append(value).append('\n');
    }
    return out.toString();
  }

  /**
   * Writes {@code <dir>/<name>.env} (mode 0600, only when there is an environment) and then
   * {@code <dir>/<name>.container} (mode 0644), each atomically; creates {@code dir} if needed.
   */
  public BootUnits.Written write(Path dir) {
    Path folder = dir.toAbsolutePath();
    try {
      Files.createDirectories(folder);
      Optional<Path> env = Optional.empty();
      if (!spec.env().isEmpty()) {
        Path envPath = folder.resolve(envFileName());
        atomicWrite(envPath, envText(), ENV_MODE);
        env = Optional.of(envPath);
      }
      Path unit = folder.resolve(fileName());
      atomicWrite(unit, text(folder.resolve(envFileName())), UNIT_MODE);
      return new BootUnits.Written(unit, env);
    } catch (IOException e) {
      throw new UnavailableException("cannot write the Quadlet unit " + fileName() + " in "
          + folder + ": " + e.getMessage(), e);
    }
  }

  private static void atomicWrite(Path target, String text, Set<PosixFilePermission> mode)
      throws IOException {
    boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    Path tmp = posix
        ? Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
        : Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
    try {
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      if (posix) {
        Files.setPosixFilePermissions(tmp, mode);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static void line(StringBuilder out, String key, String value) {
    out.append(key).append('=').append(value).append('\n');
  }

  private static String seconds(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? (ms / 1000) + "s" : ms + "ms";
  }

  /** Refuses control characters; escapes systemd's specifier character. */
  static String escape(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < ' ' || c == 127) {
        throw new InvalidRequestException("a Quadlet unit value cannot hold control characters"
            + " (line breaks, tabs): " + value.replaceAll("\\p{Cntrl}", "?"));
      }
    }
    return value.replace("%", "%%");
  }

  /**
   * One word as systemd splits them: double-quoted with {@code \\} and {@code \"} escaped when
   * it holds a space, a quote or a backslash (or is empty); as is otherwise.
   */
  static String quote(String word) {
    String escaped = escape(word);
    if (!escaped.isEmpty() && escaped.chars().noneMatch(c -> c == ' ' || c == '"' || c == '\''
        || c == '\\' || c == ';')) {
      return escaped;
    }
    return "\"" + escaped.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
