package kr.codeb.docker.internal;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import java.time.Duration;
import java.util.function.Supplier;
import kr.codeb.UnavailableException;
import kr.codeb.runtime.OneOffResult;

/** Waits for a one-off container to exit, by polling its state (no long-held connection). */
final class EngineOneOff {
  private static final long POLL_MILLIS = 100;

  private EngineOneOff() {}

  static OneOffResult await(DockerClient client, String id, Duration timeout, String provider,
      Supplier<String> output) {
    long until = System.nanoTime() + timeout.toNanos();
    while (true) {
      InspectContainerResponse.ContainerState state =
          client.inspectContainerCmd(id).exec().getState();
      if (state != null && !Boolean.TRUE.equals(state.getRunning())
          && state.getExitCodeLong() != null && state.getFinishedAt() != null
          && !state.getFinishedAt().startsWith("0001-")) {
        return new OneOffResult(state.getExitCodeLong().intValue(), output.get(), false);
      }
      if (System.nanoTime() > until) {
        try {
          client.killContainerCmd(id).exec();
        } catch (RuntimeException e) {
          // it exited between the inspect and the kill: it is removed next either way
        }
        return new OneOffResult(-1, output.get(), true);
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new UnavailableException("interrupted while waiting for a one-off container",
            provider, 0, e);
      }
    }
  }
}
