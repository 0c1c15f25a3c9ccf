package kr.codeb.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kr.codeb.AuthException;
import kr.codeb.ConflictException;
import kr.codeb.NotFoundException;
import kr.codeb.ProviderInfo;
import kr.codeb.UnavailableException;
import kr.codeb.UnsupportedFeatureException;

/**
 * A container engine (Docker, Podman) on one server. Tested by {@code ContainerRuntimeContract}
 * against each real engine. Implementations are safe for concurrent use and open their
 * connection lazily (the factory does no I/O).
 *
 * <p>Where a method takes a {@link ContainerId}, the engine's id and the container's name are
 * both accepted. Engines differ in ways callers must allow for: a container whose process
 * exits may be reported {@link ContainerState#RESTARTING} (Docker restarts it) or
 * {@link ContainerState#EXITED} (Podman reports it stopped between restarts), both with the
 * exit code; an engine may report an image reference in its normalised form ({@code nginx}
 * as {@code docker.io/library/nginx}).
 */
public interface ContainerRuntime extends AutoCloseable {
  ProviderInfo info();

  /**
   * Asks the engine who it is.
   *
   * @throws UnavailableException if no engine answers; the message lists every place tried
   */
  RuntimeVersion ping();

  /**
   * Makes sure the engine has {@code image}: returns at once when it is local, else pulls it
   * (with the registry credentials the provider was configured with, never logged). A deploy
   * calls it before it replaces anything, so a bad image leaves both slots as they were.
   *
   * @throws NotFoundException if the image is neither local nor pullable
   * @throws AuthException if the registry refused the credentials
   * @throws UnavailableException if the engine or the registry did not answer
   */
  void ensureImage(String image);

  /**
   * Creates and starts a container from the spec, pulling the image first when the engine does
   * not have it (with the registry credentials the provider was configured with, never logged).
   * Host ports bind to the spec's addresses; the restart policy is {@code unless-stopped}
   * (Podman treats it as {@code always}; without systemd nothing restarts it after a reboot:
   * Quadlet units do that).
   *
   * @throws ConflictException if a container of that name exists (nothing is started)
   * @throws NotFoundException if the image is neither local nor pullable
   * @throws AuthException if the registry refused the credentials
   */
  ContainerId run(ContainerSpec spec);

  /**
   * Stops a container: SIGTERM, then SIGKILL after {@code grace}. Stopping a stopped container
   * does nothing. When it returns the container is not running, also if its restart policy
   * brought it back while it was being stopped.
   *
   * @throws NotFoundException if there is no such container
   */
  void stop(ContainerId id, Duration grace);

  /**
   * Starts an existing container that is not running, as it was created (same spec, same
   * labels). Starting a running container does nothing. Engines that cannot do it throw
   * {@link kr.codeb.UnsupportedFeatureException} (the default).
   *
   * @throws NotFoundException if there is no such container
   */
  default void start(ContainerId id) {
    throw new kr.codeb.UnsupportedFeatureException(info().id()
        + " cannot start an existing container");
  }

  /** Removes a container, killing it if it runs. Idempotent: {@code false} if there was none. */
  boolean remove(ContainerId id);

  /** The container with this id or name, if it exists. */
  Optional<ContainerInfo> inspect(ContainerId id);

  /** The containers (running or not) that carry all the given labels; all for an empty map. */
  List<ContainerInfo> list(Map<String, String> labels);

  /**
   * The last {@code lines} lines the container wrote (stdout and stderr interleaved as the
   * engine keeps them), for error reports.
   *
   * @throws NotFoundException if there is no such container
   */
  String logs(ContainerId id, int lines);

  /**
   * Reads the container's log lines that {@code query} selects. The container is looked up
   * before this returns; the lines arrive through the reader. A following reader ends when the
   * container stops or is removed, or when it is closed; it survives nothing else (a new
   * container needs a new reader). The default throws: an engine that cannot read logs as
   * lines says so.
   *
   * @throws NotFoundException if there is no such container
   * @throws UnsupportedFeatureException if this runtime cannot stream logs
   */
  default LogReader readLogs(ContainerId id, LogQuery query) {
    throw new UnsupportedFeatureException(info().id() + " cannot stream container logs");
  }

  /**
   * Runs a command in the running container and waits for it to end, passing its output to
   * {@code io} as it comes (and {@code io.stdin()} to it when the request asks for input). The
   * command and its arguments are never logged. Nothing is retried.
   *
   * @return the command's exit code; 126 or 127 when the engine could not start the program
   *     (not executable, not found), as shells report it
   * @throws NotFoundException if there is no such container
   * @throws ConflictException if the container is not running
   * @throws UnsupportedFeatureException if this runtime cannot run commands in containers
   */
  default int exec(ContainerId id, ExecRequest request, ExecIo io) {
    throw new UnsupportedFeatureException(info().id() + " cannot run commands in containers");
  }

  /**
   * Runs {@code spec} in a one-off container to the end: no restart policy, waits up to
   * {@code timeout} (then kills it), and returns its exit code and last {@code lines} lines of
   * output. The container is removed in every case, also when this throws. Used for deploy
   * hooks (a migration in the new release's image, with the release's environment); the
   * environment's values are never logged.
   *
   * @throws ConflictException if a container of that name exists (nothing is started)
   * @throws NotFoundException if the image is neither local nor pullable
   * @throws kr.codeb.InvalidRequestException if {@code timeout} is not positive or
   *     {@code lines} is negative
   * @throws UnsupportedFeatureException if this runtime cannot run one-off containers
   */
  default OneOffResult runOnce(ContainerSpec spec, Duration timeout, int lines) {
    throw new UnsupportedFeatureException(info().id() + " cannot run one-off containers");
  }

  /**
   * {@link #runOnce(ContainerSpec, Duration, int)}, also passing each line of output to
   * {@code output} as the container writes it (stdout and stderr interleaved), on a thread of
   * the runtime's choosing, before this returns. The default passes the returned tail when the
   * container has ended: engines that can follow a container's log override it. The lines are
   * the command's own output: a caller that shows them redacts what must not be shown.
   *
   * @throws ConflictException if a container of that name exists (nothing is started)
   * @throws NotFoundException if the image is neither local nor pullable
   * @throws kr.codeb.InvalidRequestException if {@code timeout} is not positive or
   *     {@code lines} is negative
   * @throws UnsupportedFeatureException if this runtime cannot run one-off containers
   */
  default OneOffResult runOnce(ContainerSpec spec, Duration timeout, int lines,
      java.util.function.Consumer<String> output) {
    java.util.Objects.requireNonNull(output, "output");
    OneOffResult result = runOnce(spec, timeout, lines);
    result.output().lines().forEach(output);
    return result;
  }

  /**
   * Removes a local image by reference or id. Idempotent: {@code false} if it was not there.
   * Removing one of several tags of an image only removes that tag (the engine allows it even
   * while a container runs the image; callers that care check the containers first).
   *
   * @throws ConflictException if a container uses it and this was its last reference
   */
  boolean removeImage(String image);

  /**
   * Removes a named volume and its data. Idempotent: {@code false} if there was none.
   *
   * @throws ConflictException if a container (running or not) still uses it
   * @throws UnsupportedFeatureException if the engine has no named volumes
   */
  default boolean removeVolume(String volume) {
    throw new UnsupportedFeatureException(info().id() + " does not remove volumes", info().id(),
        0, null);
  }

  /**
   * Service units that bring this engine's containers back after a reboot, if the engine needs
   * them (see {@link BootUnits}). Empty by default: most engines restart containers themselves.
   */
  default Optional<BootUnits> bootUnits() {
    return Optional.empty();
  }

  @Override
  void close();
}
