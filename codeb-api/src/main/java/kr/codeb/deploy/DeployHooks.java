package kr.codeb.deploy;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import kr.codeb.InvalidRequestException;

/**
 * Commands a deploy runs in one-off containers of the new release (its image, its environment,
 * on the app server): {@code preDeploy} before the new slot starts (migrations: a non-zero exit
 * or a timeout fails the deploy before any traffic moves, the live slot untouched), and
 * {@code postDeploy} after the switch (a failure is reported in the result; traffic moves back
 * only with {@code rollbackOnPostDeployFailure}).
 *
 * @param timeout how long each hook may run before it is killed (1 s to 1 h)
 */
public record DeployHooks(Optional<List<String>> preDeploy, Optional<List<String>> postDeploy,
    Duration timeout, boolean rollbackOnPostDeployFailure) {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);
  public static final DeployHooks NONE =
      new DeployHooks(Optional.empty(), Optional.empty(), DEFAULT_TIMEOUT, false);

  public DeployHooks {
    preDeploy = check("pre-deploy", preDeploy);
    postDeploy = check("post-deploy", postDeploy);
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.compareTo(Duration.ofSeconds(1)) < 0
        || timeout.compareTo(Duration.ofHours(1)) > 0) {
      throw new InvalidRequestException("invalid hook timeout " + timeout.toSeconds()
          + " s: use 1 s to 1 h");
    }
  }

  private static Optional<List<String>> check(String which, Optional<List<String>> command) {
    Objects.requireNonNull(command, which);
    if (command.isPresent() && (command.get().isEmpty() || command.get().get(0).isBlank())) {
      throw new InvalidRequestException("the " + which + " hook needs a command, e.g."
          + " sh -c './migrate up'");
    }
    return command.map(List::copyOf);
  }

  /** Hooks whose commands are each run by {@code sh -c SCRIPT}. */
  public static DeployHooks shell(Optional<String> preDeploy, Optional<String> postDeploy,
      Duration timeout, boolean rollbackOnPostDeployFailure) {
    if (preDeploy.filter(String::isBlank).isPresent()
        || postDeploy.filter(String::isBlank).isPresent()) {
      throw new InvalidRequestException("a hook script must not be empty: give the command,"
          + " e.g. --pre-deploy './migrate up'");
    }
    return new DeployHooks(preDeploy.map(s -> List.of("sh", "-c", s)),
        postDeploy.map(s -> List.of("sh", "-c", s)), timeout, rollbackOnPostDeployFailure);
  }

  @Override
  public String toString() {
    return "DeployHooks[preDeploy=" + preDeploy.isPresent() + ", postDeploy="
        + postDeploy.isPresent() + ", timeout=" + timeout + ", rollbackOnPostDeployFailure="
        + rollbackOnPostDeployFailure + "]";
  }
}
