package kr.codeb.deploy;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import kr.codeb.Checks;
import kr.codeb.InvalidRequestException;

/**
 * One process of a project besides (or instead of the image's command for) {@code web}: a
 * worker, a scheduler. Every process of a release runs from the release's image with the
 * release's environment, in the same slot as its {@code web} container, as {@code count}
 * containers named {@code <project>-<env>-<slot>-<name>-<n>} ({@code n} from 1). They publish no
 * ports and take no traffic.
 *
 * <p>{@code web} is the process behind the proxy: one container per server and slot (it owns the
 * slot's port), gated over HTTP by the request's {@link HealthCheck}; a {@code web} entry may
 * only replace the image's command. Every other process needs a command; the deploy gate waits
 * for its {@code health} command (run in each of its containers until it exits 0) when it has
 * one, and otherwise only checks that its containers still run when the gate ends.
 *
 * @param name lowercase letters and digits, starting with a letter, at most 20 characters
 * @param command the program and its arguments; empty only for {@code web} (the image's own)
 * @param count how many containers, 1 to {@value #MAX_COUNT}; exactly 1 for {@code web}
 * @param health a command run inside each container that exits 0 when it is ready; empty for
 *     none. Never logged (arguments may hold secrets)
 */
public record ProcessSpec(String name, List<String> command, int count, List<String> health) {
  /** The process behind the proxy. */
  public static final String WEB = "web";
  /** The most containers one process may ask for on one server. */
  public static final int MAX_COUNT = 20;

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]{0,19}");

  public ProcessSpec {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new InvalidRequestException("invalid process name " + Checks.quote(name)
          + ": use lowercase letters and digits, starting with a letter, at most 20 (e.g."
          + " worker, scheduler)");
    }
    command = List.copyOf(Objects.requireNonNull(command, "command"));
    health = List.copyOf(Objects.requireNonNull(health, "health"));
    if (name.equals(WEB)) {
      if (count != 1) {
        throw new InvalidRequestException("process web runs one container per server and slot"
            + " (it owns the slot's port), not " + count + ": run more servers to scale it");
      }
      if (!health.isEmpty()) {
        throw new InvalidRequestException("process web is gated over HTTP (--health-path), not"
            + " by a health command: remove its health command");
      }
    } else {
      if (command.isEmpty()) {
        throw new InvalidRequestException("process " + name + " has no command: give the"
            + " program and its arguments, e.g. [bin/worker, --queue, default]");
      }
      if (count < 1 || count > MAX_COUNT) {
        throw new InvalidRequestException("process " + name + " count must be 1 to "
            + MAX_COUNT + ", got " + count);
      }
    }
    if (!command.isEmpty() && command.get(0).isBlank()) {
      throw new InvalidRequestException("process " + name + ": the command must not start with"
          + " an empty program name");
    }
    if (!health.isEmpty() && health.get(0).isBlank()) {
      throw new InvalidRequestException("process " + name + ": the health command must not"
          + " start with an empty program name");
    }
  }

  /** A process without a health command. */
  public static ProcessSpec of(String name, int count, List<String> command) {
    return new ProcessSpec(name, command, count, List.of());
  }

  /** The same process with {@code healthCommand}. */
  public ProcessSpec withHealth(List<String> healthCommand) {
    return new ProcessSpec(name, command, count, healthCommand);
  }

  public boolean isWeb() {
    return name.equals(WEB);
  }

  /** Commands are never shown: their arguments may hold secrets. */
  @Override
  public String toString() {
    return "ProcessSpec[name=" + name + ", count=" + count + ", command="
        + (command.isEmpty() ? "(image's)" : command.get(0) + " +" + (command.size() - 1))
        + ", health=" + (health.isEmpty() ? "none" : "command") + "]";
  }
}
