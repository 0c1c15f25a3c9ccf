package kr.codeb.docker.internal;

import com.github.dockerjava.api.async.ResultCallback;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import kr.codeb.UnavailableException;

/**
 * A docker-java stream callback that keeps the first error for the caller instead of logging
 * it at ERROR level (docker-java's own template does; a missing container is not an error of
 * ours to log), and that can be waited on with a bound.
 */
abstract class QuietCallback<T> implements ResultCallback<T> {
  private final CountDownLatch done = new CountDownLatch(1);
  private volatile Closeable stream;
  private volatile Throwable error;

  @Override
  public void onStart(Closeable closeable) {
    this.stream = closeable;
  }

  @Override
  public void onError(Throwable throwable) {
    if (error == null) {
      error = throwable;
    }
    finish();
  }

  @Override
  public void onComplete() {
    finish();
  }

  @Override
  public void close() {
    finish();
  }

  private void finish() {
    Closeable s = stream;
    if (s != null) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing a finished stream: nothing to do
      }
    }
    done.countDown();
  }

  /**
   * Waits for the end of the stream; {@code false} (and the stream closed) if it did not end in
   * time. Rethrows the stream's first error.
   */
  boolean await(Duration timeout) {
    return await(timeout, "docker");
  }

  /** The same, naming {@code provider} if interrupted. */
  boolean await(Duration timeout, String provider) {
    boolean finished;
    try {
      finished = done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new UnavailableException("interrupted while waiting for " + provider, provider, 0, e);
    }
    if (!finished) {
      close();
    }
    Throwable e = error;
    if (e instanceof RuntimeException r) {
      throw r;
    }
    if (e instanceof Error err) {
      throw err;
    }
    if (e != null) {
      throw new IllegalStateException(e); // mapped (and scrubbed) by Errors like any I/O failure
    }
    return finished;
  }
}
