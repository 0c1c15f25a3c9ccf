package kr.codeb.docker.internal;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotModifiedException;
import java.time.Duration;
import java.util.List;
import kr.codeb.CodeBException;
import kr.codeb.ConflictException;
import kr.codeb.InvalidRequestException;
import kr.codeb.NotFoundException;
import kr.codeb.UnavailableException;
import kr.codeb.docker.DockerConfig;
import kr.codeb.runtime.ContainerId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starting and stopping an existing container, both idempotent (the engine's 304 means "already
 * so"). A stop also outlasts a restart policy that starts the container again right after it
 * stopped (see {@link EngineDialect#restartAfterStopWatch}).
 */
final class EngineStartStop {
  private static final Logger LOG = LoggerFactory.getLogger(EngineStartStop.class);
  private static final Duration RESTART_POLL = Duration.ofMillis(20);

  private final DockerConfig config;
  private final EngineDialect dialect;
  private final String provider;
  private final Connector connector;
  private final EngineCalls calls;

  EngineStartStop(DockerConfig config, EngineDialect dialect, Connector connector,
      EngineCalls calls) {
    this.config = config;
    this.dialect = dialect;
    this.provider = dialect.provider();
    this.connector = connector;
    this.calls = calls;
  }

  void stop(ContainerId id, Duration grace) {
    if (grace.isNegative()) {
      throw new InvalidRequestException("the stop grace period must not be negative: " + grace);
    }
    int seconds = (int) Math.min(Integer.MAX_VALUE, (grace.toMillis() + 999) / 1000);
    if (stopOnce(id, seconds)) {
      return;
    }
    // It was not running. With a restart policy some engines are about to start it again (see
    // EngineDialect.restartAfterStopWatch), and a container that exits at once may be in a
    // restart loop whose running moments are too short to see in an inspect: keep stopping it
    // for the watch period, often; the first stop that finds it running is final.
    long until = System.nanoTime() + dialect.restartAfterStopWatch().toNanos();
    while (System.nanoTime() < until) {
      pause(RESTART_POLL);
      try {
        if (stopOnce(id, seconds)) {
          LOG.info("container {} was restarted by its restart policy; stopped it", id);
          return;
        }
      } catch (ConflictException between) {
        // Caught between states (starting, stopping): the next round stops it.
      }
    }
  }

  /** Starts a stopped container; one that runs already is left alone (Docker's 304). */
  void start(ContainerId id) {
    String what = "starting container " + id;
    try {
      calls.within(what, config.callTimeout(), () -> connector.client()
          .startContainerCmd(id.value()).exec());
      LOG.info("started container {}", id);
    } catch (NotModifiedException e) {
      // 304: it was running already.
    } catch (CodeBException e) {
      throw e;
    } catch (RuntimeException e) {
      throw Errors.map(e, what, connector.where(), List.of(), dialect);
    }
  }

  /** One stop call; false when the container was not running (the engine's 304). */
  private boolean stopOnce(ContainerId id, int seconds) {
    DockerClient client = connector.client();
    try {
      // The engine answers a stop after the grace period at most: that long on top.
      calls.within("stopping container " + id, config.callTimeout().plusSeconds(seconds),
          () -> client.stopContainerCmd(id.value()).withTimeout(seconds).exec());
      return true;
    } catch (NotModifiedException e) {
      return false; // 304: it was not running; stopping a stopped container does nothing.
    } catch (UnavailableException e) {
      throw e;
    } catch (RuntimeException e) {
      CodeBException mapped = Errors.map(e, "stopping container " + id, connector.where(),
          List.of(), dialect);
      if (mapped instanceof NotFoundException) {
        throw new NotFoundException("no container " + id + " on " + provider + " at "
            + connector.where(), provider, 404, e);
      }
      throw mapped;
    }
  }

  private static void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
