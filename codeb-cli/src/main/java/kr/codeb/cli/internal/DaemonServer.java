package kr.codeb.cli.internal;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import kr.codeb.ConflictException;
import kr.codeb.UnavailableException;

/**
 * The {@code we} daemon: a JVM that stays up and runs command lines for {@code we} clients of
 * the same user, so a command pays neither the JVM's start nor cold code (a deploy through it
 * takes what the library call takes; see docs/benchmarks.md).
 *
 * <p>Each connection carries one line ({@link DaemonProtocol}); it runs on its own thread with
 * the client's folder, arguments and environment, its output streamed back as it is written.
 * A line that is running when its client hangs up runs to its end (a deploy is not cut off
 * half-way); its output is dropped. Connections from another user are refused (the folder is
 * owner-only already; the peer check guards against root-owned or misconfigured folders).
 *
 * <p>The daemon stops on a stop request, or after {@code idleTimeout} with no line running;
 * either way it first closes the socket (new clients run the line themselves) and then waits for
 * the running lines to end, for at most {@link #STOP_GRACE}: a line still running then (stuck
 * on a server that never answers) does not keep the daemon alive; it is cut off when the
 * process exits, and its client reports that the outcome is unknown.
 *
 * <p>A line's arguments and environment live as long as the line: they are held by the line's
 * thread and objects only, never by the daemon's long-lived ones (the provider pool keys its
 * instances by a digest of the environment). Provider instances kept for reuse hold the
 * credentials they were built with; one unused for {@code poolIdle} (default
 * {@link ProviderPool#IDLE_LIMIT}) is closed and dropped. A line that fails with an error of
 * the JVM (out of memory) ends with exit 70; the other lines go on. The log records one line per command: its command words (never its
 * other arguments or environment, which may hold secrets), exit code and time.
 */
final class DaemonServer {
  /** How long a stop waits for running lines before the daemon exits anyway. */
  static final Duration STOP_GRACE = Duration.ofSeconds(90);
  private static final Set<PosixFilePermission> OWNER_READ_WRITE =
      PosixFilePermissions.fromString("rw-------");
  private final DaemonPaths paths;
  private final Duration idleTimeout;
  private final Duration poolIdle;
  private final Duration stopGrace;
  private final PrintStream log;
  private final Instant started = Instant.now();
  private final AtomicInteger active = new AtomicInteger();
  private final AtomicLong served = new AtomicLong();
  private final AtomicLong lastActivity = new AtomicLong(System.nanoTime());
  private final CountDownLatch stopping = new CountDownLatch(1);
  private volatile boolean warm;
  private volatile ServerSocketChannel listener;
  private FileChannel lockChannel;
  private final ProviderPool providers = new ProviderPool();

  DaemonServer(DaemonPaths paths, Duration idleTimeout, PrintStream log) {
    this(paths, idleTimeout, ProviderPool.IDLE_LIMIT, STOP_GRACE, log);
  }

  /**
   * @param poolIdle how long a provider instance may stay unused before it is closed
   * @param stopGrace how long a stop waits for running lines
   */
  DaemonServer(DaemonPaths paths, Duration idleTimeout, Duration poolIdle, Duration stopGrace,
      PrintStream log) {
    this.paths = paths;
    this.idleTimeout = idleTimeout;
    this.poolIdle = poolIdle;
    this.stopGrace = stopGrace;
    this.log = log;
  }

  /**
   * Binds the socket and serves until stopped; returns once the running lines have ended.
   *
   * @throws ConflictException if a daemon for this code already answers on the socket
   * @throws UnavailableException if the socket cannot be bound
   */
  void serve() {
    bind();
    Thread idle = new Thread(this::watchIdle, "we-daemon-idle");
    idle.setDaemon(true);
    idle.start();
    log("started, pid " + ProcessHandle.current().pid() + ", socket " + paths.socket()
        + ", idle timeout " + DurationConverter.human(idleTimeout) + ", provider clients closed"
        + " after " + DurationConverter.human(poolIdle) + " unused");
    try {
      while (stopping.getCount() > 0) {
        SocketChannel client = listener.accept();
        Thread t = new Thread(() -> handle(client), "we-daemon-client");
        t.setDaemon(true);
        t.start();
      }
    } catch (ClosedChannelException stopped) {
      // stop() closed the listener
    } catch (IOException e) {
      log("accept failed, stopping: " + e.getMessage());
    } finally {
      stop("listener closed");
      awaitRunningLines();
      providers.close();
      releaseLock();
      log("stopped after " + served.get() + " commands");
    }
  }

  /**
   * Closes the socket so no new line comes in; the running ones go on. Idempotent; a second
   * call returns once the first has removed the socket.
   */
  synchronized void stop(String why) {
    if (stopping.getCount() == 0) {
      return;
    }
    stopping.countDown();
    log("stopping: " + why);
    try {
      ServerSocketChannel l = listener;
      if (l != null) {
        l.close();
      }
      Files.deleteIfExists(paths.socket());
    } catch (IOException e) {
      log("could not remove the socket: " + e.getMessage());
    }
  }

  /**
   * Takes the daemon's lock file for the daemon's lifetime, then binds the socket: of two
   * daemons started at once (two first lines with {@code CODEB_DAEMON=auto}) exactly one binds,
   * and a socket file found under the lock is a killed daemon's, safe to replace.
   */
  private void bind() {
    paths.prepare();
    try {
      lockChannel = FileChannel.open(paths.lock(), Set.of(StandardOpenOption.CREATE,
          StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(OWNER_READ_WRITE));
      if (!tryLock(lockChannel)) {
        lockChannel.close();
        throw new ConflictException("a we daemon already runs on " + paths.socket()
            + " (stop it with 'we daemon stop')", "daemon", 0, null);
      }
      Files.deleteIfExists(paths.socket()); // left behind by a daemon that was killed
      ServerSocketChannel l = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
      l.bind(UnixDomainSocketAddress.of(paths.socket()));
      Files.setPosixFilePermissions(paths.socket(), OWNER_READ_WRITE);
      listener = l;
    } catch (IOException e) {
      releaseLock();
      throw unavailable("cannot listen on " + paths.socket(), e);
    }
  }

  private static boolean tryLock(FileChannel channel) throws IOException {
    try {
      return channel.tryLock() != null;
    } catch (OverlappingFileLockException sameJvm) {
      return false; // another daemon of this JVM holds it (tests, the CDS training run)
    }
  }

  private void releaseLock() {
    try {
      if (lockChannel != null) {
        lockChannel.close(); // releases the lock; the file stays (deleting it would race)
      }
    } catch (IOException e) {
      log("could not release the lock: " + e.getMessage());
    }
  }

  private void handle(SocketChannel channel) {
    try (channel) {
      DataInputStream in = new DataInputStream(Channels.newInputStream(channel));
      DataOutputStream out = new DataOutputStream(
          new BufferedOutputStream(Channels.newOutputStream(channel)));
      String refused = refusedPeer(channel);
      if (refused != null) {
        log("refused a connection: " + refused);
        refuse(out, refused);
        return;
      }
      DaemonProtocol.Request request = DaemonProtocol.readRequest(in);
      switch (request.kind()) {
        case DaemonProtocol.STATUS -> answer(out, statusText(), 0);
        case DaemonProtocol.STOP -> {
          answer(out, "stopping, pid " + ProcessHandle.current().pid() + ", " + active.get()
              + " command(s) running", 0);
          stop("stop requested");
        }
        default -> run(request, out);
      }
    } catch (IOException e) {
      log("connection failed: " + e.getMessage());
    }
  }

  private void run(DaemonProtocol.Request request, DataOutputStream frames) throws IOException {
    active.incrementAndGet();
    long t0 = System.nanoTime();
    int code = 1;
    try (PrintStream out = frameStream(frames, DaemonProtocol.STDOUT);
        PrintStream err = frameStream(frames, DaemonProtocol.STDERR)) {
      try {
        code = Cli.run(request.args().toArray(String[]::new), out, err, request.env()::get,
            request.workDir(), providers.scope(request.env()));
      } catch (RuntimeException | LinkageError e) {
        err.println("we: error: the daemon failed to run the command (an internal error; see"
            + " whether it happens with CODEB_DAEMON=off too)");
        code = 70;
      } catch (OutOfMemoryError | StackOverflowError e) {
        // This line's objects are gone with its stack; the other lines and the daemon go on.
        err.println("we: error: the daemon ran out of memory running this command; the other"
            + " commands are not affected");
        code = 70;
      }
    } finally {
      served.incrementAndGet();
      lastActivity.set(System.nanoTime());
      active.decrementAndGet();
      log("ran '" + commandWords(request.args()) + "' exit " + code + " in "
          + (System.nanoTime() - t0) / 1_000_000 + " ms");
    }
    synchronized (frames) {
      DaemonProtocol.writeExit(frames, code);
    }
  }

  /** The warm-up run of the common commands has ended; status says {@code warm=true}. */
  void markWarm() {
    warm = true;
    log("warmed up");
  }

  String statusText() {
    return "pid=" + ProcessHandle.current().pid() + "\nversion=" + VersionProvider.version()
        + "\nsocket=" + paths.socket() + "\nstarted="
        + started + "\nwarm=" + warm + "\nserved=" + served.get() + "\nactive="
        + active.get() + "\nidleTimeout=" + DurationConverter.human(idleTimeout) + "\njava="
        + Runtime.version() + "\n";
  }

  /** The words naming the command (up to the first option): never other arguments. */
  static String commandWords(List<String> args) {
    StringBuilder b = new StringBuilder("we");
    for (String a : args) {
      if (a.startsWith("-") || b.length() > 40) {
        break;
      }
      b.append(' ').append(a.chars().allMatch(c -> c >= 'a' && c <= 'z') ? a : "…");
    }
    return b.toString();
  }

  /** Why this peer may not use the daemon, or null: only the daemon's own user may. */
  private static String refusedPeer(SocketChannel channel) {
    try {
      UnixDomainPrincipal peer = channel.getOption(ExtendedSocketOptions.SO_PEERCRED);
      String me = System.getProperty("user.name");
      return peer.user().getName().equals(me) ? null
          : "user " + peer.user().getName() + " is not the daemon's user " + me;
    } catch (IOException | UnsupportedOperationException e) {
      return "cannot tell who is connecting (" + e.getMessage() + ")";
    }
  }

  private static void refuse(DataOutputStream out, String why) throws IOException {
    byte[] message = ("we: error: the daemon refused the connection: " + why + "\n")
        .getBytes(StandardCharsets.UTF_8);
    DaemonProtocol.writeFrame(out, DaemonProtocol.STDERR, message, 0, message.length);
    DaemonProtocol.writeExit(out, 2);
  }

  private static void answer(DataOutputStream out, String text, int code) throws IOException {
    DaemonProtocol.writeText(out, text);
    DaemonProtocol.writeExit(out, code);
  }

  /** A print stream whose bytes go out as frames of one type, a frame per flush. */
  private static PrintStream frameStream(DataOutputStream frames, byte type) {
    OutputStream framing = new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        synchronized (frames) {
          DaemonProtocol.writeFrame(frames, type, b, off, len);
        }
      }

      @Override
      public void flush() throws IOException {
        synchronized (frames) {
          frames.flush();
        }
      }
    };
    return new PrintStream(new BufferedOutputStream(framing, 8192), true, StandardCharsets.UTF_8);
  }

  /**
   * Stops the daemon when it has been idle too long, or when its jar was rebuilt: clients of the
   * new build look for another socket, so this daemon would only hold old code in memory.
   */
  private void watchIdle() {
    try {
      int tick = 0;
      while (!stopping.await(1, TimeUnit.SECONDS)) {
        int closed = providers.evictIdle(poolIdle);
        if (closed > 0) {
          log("closed " + closed + " provider client(s) unused for "
              + DurationConverter.human(poolIdle));
        }
        long idleNanos = System.nanoTime() - lastActivity.get();
        if (active.get() == 0 && idleNanos > idleTimeout.toNanos()) {
          stop("idle for " + DurationConverter.human(idleTimeout));
        } else if (++tick % 10 == 0 && !DaemonPaths.codeKey().equals(paths.key())) {
          stop("its code changed (a rebuild); the next daemon runs the new code");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits for the running lines, for at most {@code stopGrace}. */
  private void awaitRunningLines() {
    long deadline = System.nanoTime() + stopGrace.toNanos();
    while (active.get() > 0) {
      if (System.nanoTime() > deadline) {
        log(active.get() + " command(s) still running after " + DurationConverter.human(stopGrace)
            + "; exiting without them");
        return;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void log(String line) {
    log.println(Instant.now() + " we daemon: " + line);
  }

  private static UnavailableException unavailable(String message, IOException e) {
    return new UnavailableException(message + ": " + e.getMessage(), "daemon", 0, e);
  }
}
