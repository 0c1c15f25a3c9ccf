package kr.codeb.deploy;

import java.nio.file.Path;
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
 * <p>With {@code localDir}, the executable files {@code pre-deploy} and {@code post-deploy} in
 * it (each optional) also run on the machine that deploys: {@code pre-deploy} before the
 * container hook, {@code post-deploy} after it, with the same timeout and failure rules, in
 * this process's working folder, and with this process's environment except its {@code CODEB_*}
 * variables (which may hold provider credentials), plus {@code CODEB_HOOK}, {@code
 * CODEB_PROJECT}, {@code CODEB_ENV}, {@code CODEB_RELEASE}, {@code CODEB_SLOT}, {@code
 * CODEB_PORT}, {@code CODEB_IMAGE} and {@code CODEB_ACTOR}. The release's environment is never
 * given to them.
 *
 * @param timeout how long each hook may run before it is killed (1 s to 1 h)
 * @param localDir the folder of local hook scripts; empty for none
 */
public record DeployHooks(Optional<List<String>> preDeploy, Optional<List<String>> postDeploy,
    Duration timeout, boolean rollbackOnPostDeployFailure, Optional<Path> localDir) {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);
  /** The names of the local hook scripts. */
  public static final List<String> LOCAL_HOOKS = List.of("pre-deploy", "post-deploy");
  public static final DeployHooks NONE =
      new DeployHooks(Optional.empty(), Optional.empty(), DEFAULT_TIMEOUT, false);

  public DeployHooks {
    Objects.requireNonNull(localDir, "localDir");
    preDeploy = check("pre-deploy", preDeploy);
    postDeploy = check("post-deploy", postDeploy);
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.compareTo(Duration.ofSeconds(1)) < 0
        || timeout.compareTo(Duration.ofHours(1)) > 0) {
      throw new InvalidRequestException("invalid hook timeout " + timeout.toSeconds()
          + " s: use 1 s to 1 h");
    }
  }

  /** Hooks without local scripts. */
  public DeployHooks(Optional<List<String>> preDeploy, Optional<List<String>> postDeploy,
      Duration timeout, boolean rollbackOnPostDeployFailure) {
    this(preDeploy, postDeploy, timeout, rollbackOnPostDeployFailure, Optional.empty());
  }

  /** These hooks with the local hook scripts of {@code dir} (see the class comment). */
  public DeployHooks withLocalDir(Path dir) {
    return new DeployHooks(preDeploy, postDeploy, timeout, rollbackOnPostDeployFailure,
        Optional.of(dir));
  }

  /**
   * The local script for {@code hook} ({@code pre-deploy} or {@code post-deploy}) if the folder
   * has one.
   *
   * @throws InvalidRequestException if the file exists but is not a regular executable file
   */
  public Optional<Path> localScript(String hook) {
    if (!LOCAL_HOOKS.contains(hook)) {
      throw new InvalidRequestException("no local hook named " + hook + "; there are "
          + String.join(", ", LOCAL_HOOKS));
    }
    if (localDir.isEmpty()) {
      return Optional.empty();
    }
    Path file = localDir.get().resolve(hook);
    if (!java.nio.file.Files.exists(file)) {
      return Optional.empty();
    }
    if (!java.nio.file.Files.isRegularFile(file) || !java.nio.file.Files.isExecutable(file)) {
      throw new InvalidRequestException("the local hook " + file + " is not an executable file:"
          + " make it one (chmod +x) or remove it; nothing was deployed");
    }
    return Optional.of(file);
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
        postDeploy.map(s -> List.of("sh", "-c", s)), timeout, rollbackOnPostDeployFailure,
        Optional.empty());
  }

  @Override
  public String toString() {
    return "DeployHooks[preDeploy=" + preDeploy.isPresent() + ", postDeploy="
        + postDeploy.isPresent() + ", timeout=" + timeout + ", rollbackOnPostDeployFailure="
        + rollbackOnPostDeployFailure + ", localDir=" + localDir.map(Path::toString).orElse("-")
        + "]";
  }
}
