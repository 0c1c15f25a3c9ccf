package kr.codeb.docker.internal;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import kr.codeb.CodeBException;
import kr.codeb.UnavailableException;
import kr.codeb.runtime.LogLine;
import kr.codeb.runtime.LogReader;
import kr.codeb.runtime.OneOffResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits for a one-off container to exit, by polling its state, while a {@link Follower} passes
 * its output on as it comes.
 */
final class EngineOneOff {
  private static final long POLL_MILLIS = 100;
  private static final long FOLLOW_END_MILLIS = 5_000;
  private static final Logger LOG = LoggerFactory.getLogger(EngineOneOff.class);

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

  /** Starts passing the lines of {@code reader} (a following log reader) to {@code output}. */
  static Follower follow(Supplier<LogReader> reader, Consumer<String> output) {
    Follower f = new Follower(reader, output);
    f.thread.start();
    return f;
  }

  /**
   * A thread that reads a one-off container's log as it is written. No line reaches the output
   * after {@link #close()}; a log that cannot be read is logged (the result's tail still has it).
   */
  static final class Follower implements AutoCloseable {
    private final Supplier<LogReader> open;
    private final Consumer<String> output;
    private final Thread thread;
    private LogReader reader;
    private boolean closed;

    private Follower(Supplier<LogReader> open, Consumer<String> output) {
      this.open = open;
      this.output = output;
      this.thread = new Thread(this::pass, "codeb-one-off-log");
      this.thread.setDaemon(true);
    }

    private void pass() {
      try {
        LogReader r = open.get();
        synchronized (this) {
          if (closed) {
            r.close();
            return;
          }
          reader = r;
        }
        for (Optional<LogLine> line = r.next(); line.isPresent(); line = r.next()) {
          synchronized (this) {
            if (closed) {
              return;
            }
            output.accept(line.get().text());
          }
        }
      } catch (CodeBException e) {
        LOG.warn("the one-off container's output could not be followed: {}", e.getMessage());
      }
    }

    /** Waits a little for the last lines of a container that has ended. */
    void finish() {
      try {
        thread.join(FOLLOW_END_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public void close() {
      LogReader r;
      synchronized (this) {
        closed = true;
        r = reader;
      }
      if (r != null) {
        r.close();
      }
    }
  }
}
