package kr.codeb.docker.internal;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.LogContainerCmd;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import kr.codeb.CodeBException;
import kr.codeb.InvalidRequestException;
import kr.codeb.NotFoundException;
import kr.codeb.UnavailableException;
import kr.codeb.runtime.ContainerId;
import kr.codeb.runtime.LogLine;
import kr.codeb.runtime.LogQuery;
import kr.codeb.runtime.LogReader;

/**
 * A container's logs as lines, streamed from the engine's logs endpoint. The engine's frames
 * arrive on docker-java's thread and are cut into lines per stream; a bounded queue hands them to
 * the reader (a slow reader slows the engine's stream rather than filling memory).
 */
final class EngineLogs implements LogReader {
  private static final int QUEUE = 4096;
  private static final Duration LOG_WAIT = Duration.ofSeconds(30);
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(EngineLogs.class);
  private static final Object END = new Object();

  private final String what;
  private final String where;
  private final String provider;
  private final EngineDialect dialect;
  private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>(QUEUE);
  private final Callback callback = new Callback();
  private volatile boolean closed;
  private boolean ended;

  private EngineLogs(ContainerId id, String where, EngineDialect dialect) {
    this.what = "reading the logs of container " + id;
    this.where = where;
    this.provider = dialect.provider();
    this.dialect = dialect;
  }

  /** Looks the container up, then starts the stream. */
  static LogReader open(Connector connector, EngineDialect dialect, ContainerId id,
      LogQuery query) {
    DockerClient client = connector.client();
    String where = connector.where();
    EngineLogs reader = new EngineLogs(id, where, dialect);
    try {
      client.inspectContainerCmd(id.value()).exec();
      LogContainerCmd cmd = client.logContainerCmd(id.value())
          .withStdOut(true).withStdErr(true).withFollowStream(query.follow());
      if (query.tail().isPresent()) {
        cmd = cmd.withTail(query.tail().getAsInt());
      }
      if (query.since().isPresent()) {
        cmd = cmd.withSince((int) Math.max(0, query.since().get().getEpochSecond()));
      }
      cmd.exec(reader.callback);
    } catch (RuntimeException e) {
      throw reader.mapped(e, id);
    }
    return reader;
  }

  private CodeBException mapped(RuntimeException e, ContainerId id) {
    CodeBException mapped = Errors.map(e, what, where, List.of(), dialect);
    if (mapped instanceof NotFoundException) {
      return new NotFoundException("no container " + id + " on " + provider + " at " + where,
          provider, 404, e);
    }
    return mapped;
  }

  @Override
  public Optional<LogLine> next() {
    if (ended) {
      return Optional.empty();
    }
    Object item;
    try {
      item = queue.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new UnavailableException("interrupted while " + what + " on " + provider,
          provider, 0, e);
    }
    if (item instanceof LogLine line) {
      return Optional.of(line);
    }
    ended = true;
    if (item instanceof RuntimeException e && !closed) {
      throw Errors.map(e, what, where, List.of(), dialect);
    }
    return Optional.empty();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    callback.close();
    queue.clear(); // unblocks the engine's thread if it waits on a full queue
    queue.offer(END);
  }

  /** Puts one item, waiting while the queue is full, giving up once the reader is closed. */
  private void put(Object item) {
    try {
      while (!closed && !queue.offer(item, 100, TimeUnit.MILLISECONDS)) {
        // full: the reader is slow; wait for it
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private final class Callback implements ResultCallback<Frame> {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private volatile Closeable stream;
    private boolean finished;

    @Override
    public void onStart(Closeable closeable) {
      stream = closeable;
      if (closed) {
        close();
      }
    }

    @Override
    public synchronized void onNext(Frame frame) {
      boolean isErr = frame.getStreamType() == StreamType.STDERR;
      ByteArrayOutputStream buffer = isErr ? err : out;
      LogLine.Source source = isErr ? LogLine.Source.STDERR : LogLine.Source.STDOUT;
      for (byte b : frame.getPayload()) {
        if (b == '\n') {
          emit(buffer, source);
        } else {
          buffer.write(b);
        }
      }
    }

    private void emit(ByteArrayOutputStream buffer, LogLine.Source source) {
      String text = buffer.toString(StandardCharsets.UTF_8);
      buffer.reset();
      if (text.endsWith("\r")) {
        text = text.substring(0, text.length() - 1);
      }
      put(new LogLine(source, text));
    }

    @Override
    public void onError(Throwable throwable) {
      finish(throwable instanceof RuntimeException r ? r
          : new IllegalStateException(throwable));
    }

    @Override
    public void onComplete() {
      finish(null);
    }

    private synchronized void finish(RuntimeException error) {
      if (finished) {
        return;
      }
      finished = true;
      if (out.size() > 0) {
        emit(out, LogLine.Source.STDOUT);
      }
      if (err.size() > 0) {
        emit(err, LogLine.Source.STDERR);
      }
      put(error == null ? END : error);
    }

    @Override
    public void close() {
      Closeable s = stream;
      if (s != null) {
        try {
          s.close();
        } catch (IOException ignored) {
          // the stream is being abandoned: nothing to report
        }
      }
    }
  }

  /** The last {@code lines} lines as one text (see {@code ContainerRuntime.logs}). */
  static String tail(Connector connector, EngineDialect dialect, ContainerId id, int lines) {
    String provider = dialect.provider();
    if (lines < 0) {
      throw new InvalidRequestException("the number of log lines must be 0 or more, not " + lines);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    QuietCallback<Frame> collector = new QuietCallback<>() {
      @Override
      public void onNext(Frame frame) {
        synchronized (out) {
          out.writeBytes(frame.getPayload());
        }
      }
    };
    String what = "reading the logs of container " + id;
    try {
      connector.client().logContainerCmd(id.value())
          .withStdOut(true).withStdErr(true).withTail(lines).withFollowStream(false)
          .exec(collector);
      if (!collector.await(LOG_WAIT, provider)) {
        LOG.warn("{} took more than {} s; returning what arrived", what, LOG_WAIT.toSeconds());
      }
    } catch (RuntimeException e) {
      CodeBException mapped = Errors.map(e, what, connector.where(), List.of(), dialect);
      if (mapped instanceof NotFoundException) {
        throw new NotFoundException("no container " + id + " on " + provider + " at "
            + connector.where(), provider, 404, e);
      }
      throw mapped;
    }
    synchronized (out) {
      return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }
  }
}
