package kr.codeb.ssh.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kr.codeb.UnavailableException;
import kr.codeb.ssh.ExecResult;
import kr.codeb.ssh.FileOwner;
import kr.codeb.ssh.SshConfig;
import kr.codeb.ssh.SshTarget;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.ConnectionException;
import net.schmizz.sshj.connection.channel.direct.DirectConnection;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.connection.channel.direct.Signal;

/**
 * One open, authenticated sshj connection and the raw calls on it. Calls throw {@link IOException}
 * for failures of the connection (the caller decides whether to repeat them) and CodeB exceptions
 * for everything else.
 */
public final class LiveConnection implements AutoCloseable {
  /** The environment variable tagging a command's processes (a random id per call). */
  static final String EXEC_TAG = "CODEB_SSH_EXEC_ID";
  private static final long KILL_TIMEOUT_MS = 5_000;

  private final SshTarget target;
  private final SshConfig config;
  private final SSHClient client;

  LiveConnection(SshTarget target, SshConfig config, SSHClient client) {
    this.target = target;
    this.config = config;
    this.client = client;
  }

  public SshTarget target() {
    return target;
  }

  public SshConfig config() {
    return config;
  }

  /** Whether the transport is still up and logged in. */
  public boolean isAlive() {
    return client.isConnected() && client.isAuthenticated();
  }

  /** See {@code SshConnection.exec}; {@code IOException} when the connection fails. */
  public ExecResult exec(String command, Duration timeout) throws IOException {
    long start = System.nanoTime();
    String execId = java.util.UUID.randomUUID().toString();
    Session session = client.startSession();
    boolean closeLater = false;
    try {
      // The tag in the environment marks the command's processes, so a timeout can kill all of
      // them: sshd delivers no signal to a root login's session without privilege separation.
      // (A tag set with `export` would miss the shell itself: /proc/PID/environ shows the
      // environment a process started with, hence the fresh shell.)
      Session.Command cmd = session.exec("exec env " + EXEC_TAG + "=" + execId
          + " \"${SHELL:-/bin/sh}\" -c " + singleQuoted(command));
      cmd.getOutputStream().close();
      Future<Captured> out = Threads.submit(() -> Captured.read(cmd.getInputStream()));
      Future<Captured> err = Threads.submit(() -> Captured.read(cmd.getErrorStream()));
      try {
        cmd.join(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ConnectionException e) {
        boolean timedOut = System.nanoTime() - start >= timeout.toNanos() && isAlive();
        if (!timedOut) {
          throw e;
        }
        try {
          cmd.signal(Signal.KILL);
        } catch (IOException | RuntimeException ignored) {
          // the tagged processes are killed next anyway
        }
        killTagged(execId);
        // Closing waits for the server's confirmation, which comes only once every process
        // holding the command's output has ended: close without waiting for it.
        closeLater = true;
        out.cancel(true);
        err.cancel(true);
        throw new UnavailableException("command `" + programOf(command) + " ...` on "
            + target.address() + " did not finish within " + Failures.seconds(timeout)
            + "; its processes were sent SIGKILL and its channel closed", e);
      }
      Captured o = await(out);
      Captured e = await(err);
      Integer status = cmd.getExitStatus();
      return new ExecResult(status == null ? ExecResult.KILLED_BY_SIGNAL : status,
          o.text(), e.text(), o.truncated(), e.truncated());
    } finally {
      if (closeLater) {
        Threads.submit(() -> {
          closeQuietly(session);
          return null;
        });
      } else {
        closeQuietly(session);
      }
    }
  }

  /** {@code text} as one single-quoted shell word. */
  static String singleQuoted(String text) {
    return "'" + text.replace("'", "'\\''") + "'";
  }

  /** Kills (SIGKILL) every process of the server whose environment carries the exec's tag. */
  private void killTagged(String execId) {
    String killer = "for f in $(grep -lzx '" + EXEC_TAG + "=" + execId + "' /proc/[0-9]*/environ"
        + " 2>/dev/null); do p=${f#/proc/}; kill -KILL \"${p%/environ}\" 2>/dev/null; done; true";
    try (Session killSession = client.startSession()) {
      Session.Command kill = killSession.exec(killer);
      kill.getOutputStream().close();
      kill.join(KILL_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (IOException | RuntimeException ignored) {
      // best effort: the channel is closed anyway
    }
  }

  private static Captured await(Future<Captured> reader) throws IOException {
    try {
      return reader.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    } catch (TimeoutException e) {
      reader.cancel(true);
      throw new IOException("the command's output did not end after the command did", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while reading the command's output", e);
    }
  }

  /** The first word of a command, for messages (the rest may hold secrets). */
  static String programOf(String command) {
    String first = command.strip().split("\\s+", 2)[0];
    return first.length() > 40 ? first.substring(0, 40) : first;
  }

  /** See {@code SshConnection.upload}. */
  public void upload(InputStream content, String remotePath, int mode, Optional<FileOwner> owner)
      throws IOException {
    SftpFiles.upload(client, target, content, remotePath, mode, owner);
  }

  /** See {@code SshConnection.download}. */
  public byte[] download(String remotePath, long maxBytes) throws IOException {
    return SftpFiles.download(client, target, remotePath, maxBytes);
  }

  /** A new direct-tcpip channel to {@code host:port} as the server sees it. */
  Relay.Pipe openDirect(String host, int port) throws IOException {
    DirectConnection direct = client.newDirectConnection(host, port);
    return new Relay.Pipe(direct.getInputStream(), direct.getOutputStream(), direct);
  }

  /** A new exec channel running {@code command}, its stdin and stdout as the pipe. */
  Relay.Pipe openCommand(String command) throws IOException {
    Session session = client.startSession();
    try {
      Session.Command cmd = session.exec(command);
      Threads.submit(() -> Captured.read(cmd.getErrorStream())); // drained, never shown
      return new Relay.Pipe(cmd.getInputStream(), cmd.getOutputStream(), session);
    } catch (IOException | RuntimeException e) {
      closeQuietly(session);
      throw e;
    }
  }

  /** Closes the connection. */
  @Override
  public void close() {
    Connector.closeQuietly(client);
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception ignored) {
      // already closing because of a timeout
    }
  }

  /** At most {@link ExecResult#MAX_CAPTURED_BYTES} of a stream; the rest read and dropped. */
  record Captured(String text, boolean truncated) {
    static Captured read(InputStream in) throws IOException {
      ByteArrayOutputStream kept = new ByteArrayOutputStream();
      byte[] buf = new byte[16 * 1024];
      boolean truncated = false;
      int n;
      while ((n = in.read(buf)) >= 0) {
        int room = ExecResult.MAX_CAPTURED_BYTES - kept.size();
        if (n > room) {
          truncated = true;
        }
        kept.write(buf, 0, Math.min(n, Math.max(room, 0)));
      }
      return new Captured(kept.toString(StandardCharsets.UTF_8), truncated);
    }
  }
}
