package kr.codeb.runtime;

import java.nio.file.Path;
import java.util.Optional;

/**
 * An optional capability of a {@link ContainerRuntime} whose engine does not bring containers
 * back after a reboot by itself (Podman has no daemon that does): it writes a service unit, so
 * that the host's init system recreates the container at boot. Offered through
 * {@link ContainerRuntime#bootUnits()}; Docker's engine restarts containers itself and offers
 * none.
 */
public interface BootUnits {

  /**
   * Writes the unit for {@code spec} into {@code dir} (created if missing). The spec's
   * environment never goes into the unit: it goes into a separate env file of mode 0600 beside
   * it. Each file is written through a temporary file and an atomic rename, so a reader never
   * sees half a file. Idempotent: writing the same spec again replaces the files with equal ones.
   *
   * @throws kr.codeb.InvalidRequestException if a value cannot be written into a unit (control
   *     characters, a line break in an environment value); nothing is written then
   * @throws kr.codeb.UnavailableException if the files cannot be written
   */
  Written write(ContainerSpec spec, Path dir);

  /** The files {@link #write} wrote: the unit, and the env file when there was an environment. */
  record Written(Path unit, Optional<Path> envFile) {
    public Written {
      java.util.Objects.requireNonNull(unit, "unit");
      java.util.Objects.requireNonNull(envFile, "envFile");
    }
  }
}
