package kr.codeb.deploy.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import kr.codeb.CodeBException;
import kr.codeb.UnavailableException;
import kr.codeb.deploy.AppServer;
import kr.codeb.deploy.DeployProgress;

/**
 * Runs one step on every app server of a deploy at once, one thread per server, and waits for
 * all of them: a failure on one server never leaves another's step half done behind the
 * caller's back. With one server the step runs on the caller's thread.
 */
final class OnEachServer {
  private OnEachServer() {}

  /** What a step did on one server: its value, or the failure it threw. */
  record Result<T>(AppServer server, Optional<T> value, Optional<CodeBException> failure) {
    boolean failed() {
      return failure.isPresent();
    }
  }

  static <T> List<Result<T>> run(List<AppServer> servers, Function<AppServer, T> step) {
    if (servers.size() == 1) {
      return List.of(attempt(servers.get(0), step));
    }
    ExecutorService pool = Executors.newFixedThreadPool(servers.size(), r -> {
      Thread t = new Thread(r, "codeb-deploy-server");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<Result<T>>> futures = new ArrayList<>();
      for (AppServer s : servers) {
        futures.add(pool.submit(() -> attempt(s, step)));
      }
      List<Result<T>> results = new ArrayList<>();
      for (int i = 0; i < futures.size(); i++) {
        try {
          results.add(futures.get(i).get());
        } catch (ExecutionException e) {
          // Not a CodeBException (a bug or an Error): reported as this server's failure.
          results.add(new Result<>(servers.get(i), Optional.empty(), Optional.of(
              new UnavailableException(String.valueOf(e.getCause()), e.getCause()))));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new UnavailableException("interrupted while waiting for the app servers", e);
        }
      }
      return results;
    } finally {
      pool.shutdown();
    }
  }

  private static <T> Result<T> attempt(AppServer s, Function<AppServer, T> step) {
    try {
      return new Result<>(s, Optional.ofNullable(step.apply(s)), Optional.empty());
    } catch (CodeBException e) {
      return new Result<>(s, Optional.empty(), Optional.of(e));
    }
  }

  /** The first failure, if any. */
  static <T> Optional<Result<T>> firstFailure(List<Result<T>> results) {
    return results.stream().filter(Result::failed).findFirst();
  }

  /**
   * Progress for one server's step: with several servers each line is prefixed with the
   * server's name and lines of parallel steps never interleave.
   */
  static DeployProgress of(DeployProgress progress, AppServer server, boolean several) {
    if (!several) {
      return progress;
    }
    return new DeployProgress() {
      @Override
      public void step(String message) {
        synchronized (progress) {
          progress.step(server.name() + ": " + message);
        }
      }

      @Override
      public void healthAttempt(int attempt, java.time.Duration elapsed, String lastStatus) {
        synchronized (progress) {
          progress.healthAttempt(attempt, elapsed, server.name() + ": " + lastStatus);
        }
      }
    };
  }
}
