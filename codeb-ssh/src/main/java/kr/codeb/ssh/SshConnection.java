package kr.codeb.ssh;

import java.io.InputStream;
import java.time.Duration;
import java.util.Optional;
import kr.codeb.fleet.ServerLink;

/**
 * An authenticated SSH connection to one server, whose host key was verified against the
 * configured known_hosts. Safe for use by several threads at once (each call uses its own SSH
 * channel).
 *
 * <p>Failures: {@link kr.codeb.UnavailableException} when the server cannot be reached, the
 * connection drops or a command times out; {@link kr.codeb.AuthException} when the host key is
 * unknown or changed, or the login or a file permission is refused; {@link
 * kr.codeb.NotFoundException} for a missing remote file or folder; {@link
 * kr.codeb.InvalidRequestException} for bad arguments (nothing is sent then).
 *
 * <p>When the connection has dropped, {@link Idempotency#IDEMPOTENT} calls (downloads, tunnels and
 * commands the caller marks so) are repeated once on a new connection; others fail.
 */
public interface SshConnection extends AutoCloseable {
  /** The server this connection logs in to. */
  SshTarget target();

  /**
   * Runs {@code command} through the login user's shell (which must be POSIX-compatible: sh, bash,
   * dash, zsh) with stdin closed, waits for it to end and
   * returns its exit status and output. A non-zero exit status is a result, not a failure. The
   * command's processes carry {@code CODEB_SSH_EXEC_ID} (a random id per call) in their
   * environment; when {@code timeout} passes first, every process of the server carrying that id
   * is sent SIGKILL (read from {@code /proc}, so on Linux servers), the channel is closed without
   * waiting and {@link kr.codeb.UnavailableException} is thrown. Not repeated when the connection
   * drops (see {@link #exec(String, Duration, Idempotency)}).
   */
  default ExecResult exec(String command, Duration timeout) {
    return exec(command, timeout, Idempotency.NOT_IDEMPOTENT);
  }

  /** {@link #exec(String, Duration)} with the configured command timeout. */
  default ExecResult exec(String command) {
    return exec(command, config().commandTimeout(), Idempotency.NOT_IDEMPOTENT);
  }

  /**
   * {@link #exec(String, Duration)}, repeated once on a new connection if the connection drops
   * during the call and {@code idempotency} is {@link Idempotency#IDEMPOTENT}.
   */
  ExecResult exec(String command, Duration timeout, Idempotency idempotency);

  /**
   * Writes {@code content} to the absolute {@code remotePath} over SFTP, atomically: it is written
   * to a temporary file in the same folder, given {@code mode} (e.g. {@code 0640}) and {@code
   * owner} (when present), then renamed over {@code remotePath}. Readers see the old file or the
   * complete new one, never a part; on failure the temporary file is removed and {@code
   * remotePath} is unchanged. The folder must exist. Not repeated when the connection drops.
   */
  void upload(byte[] content, String remotePath, int mode, Optional<FileOwner> owner);

  /** {@link #upload(byte[], String, int, Optional)} reading the content from {@code content}. */
  void upload(InputStream content, String remotePath, int mode, Optional<FileOwner> owner);

  /**
   * Reads the remote file at the absolute {@code remotePath} over SFTP. Refuses (with {@link
   * kr.codeb.InvalidRequestException}, reading nothing) a file larger than {@code maxBytes}.
   * Idempotent: repeated once on a new connection if the connection drops.
   */
  byte[] download(String remotePath, long maxBytes);

  /**
   * Opens a local port forwarding to {@code remoteHost:remotePort} as seen from the server (for
   * example the server's loopback {@code 127.0.0.1:2019}). The returned tunnel listens on a free
   * port of {@code 127.0.0.1} and accepts several connections at once; close it when done (closing
   * this connection closes it too). Idempotent: opened on a new connection if this one has
   * dropped.
   */
  Tunnel forward(String remoteHost, int remotePort);

  /** The configuration this connection was opened with. */
  /**
   * A local Unix socket (in a folder only this user may enter) whose every connection runs
   * {@code command} on the server, joined to the command's stdin and stdout; {@code docker system
   * dial-stdio} makes it the server's Docker socket. Each connection opens its own exec channel
   * on the connection as it is then (a dropped connection is reopened). Closed with this
   * connection (lease) or by itself.
   */
  ServerLink.Bridge bridge(String command);

  SshConfig config();

  /**
   * Ends this connection (for a pooled connection: gives it back to the pool, which keeps the
   * underlying SSH connection for reuse). Closes tunnels opened through it. Idempotent.
   */
  @Override
  void close();
}
