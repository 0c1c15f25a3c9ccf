package kr.codeb.deploy;

import java.time.Instant;
import java.util.Objects;
import kr.codeb.Checks;
import kr.codeb.model.Slot;
import kr.codeb.runtime.ImageRef;

/**
 * One line of a project's release history (append-only).
 *
 * @param release the release id written on the container's {@code codeb.release} label
 * @param actor who did it ({@code user@host}, or the CI's identity)
 * @param slot the slot the release ran in (for a promote or rollback: the slot now live)
 * @param port the host port of that slot
 * @param containerPort the port the app listens on inside the container
 * @param healthPath the path the health gate probed, reused by {@code health}
 * @param envSource where the container's environment came from (never its values)
 * @param envHash {@link EnvSource#hashOf} of the environment the container was started with
 * @param message why, for failures; empty otherwise
 */
public record ReleaseRecord(
    Instant time,
    DeployKey key,
    String release,
    String actor,
    String image,
    Slot slot,
    int port,
    int containerPort,
    String healthPath,
    EnvSource envSource,
    String envHash,
    ReleaseOutcome outcome,
    String message) {

  public ReleaseRecord {
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(release, "release");
    Objects.requireNonNull(actor, "actor");
    ImageRef.check(image);
    Objects.requireNonNull(slot, "slot");
    Checks.port("port", port);
    Checks.port("container port", containerPort);
    Objects.requireNonNull(healthPath, "healthPath");
    Objects.requireNonNull(envSource, "envSource");
    EnvSource.checkHash(envHash);
    Objects.requireNonNull(outcome, "outcome");
    message = message == null ? "" : message;
  }
}
