package kr.codeb.fleet;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A way onto one server of the fleet (over SSH): commands, port forwards and stream bridges.
 * Providers whose engine runs on another server get one through {@link
 * kr.codeb.ProviderConfig#server()} and reach their engine through it.
 *
 * <p>Safe for several threads at once. A link shares its underlying connection with the other
 * links to the same server in this process; when that connection drops, the next call (and
 * the next connection to a forward or a bridge) opens a new one. Failures: {@link
 * kr.codeb.UnavailableException} when the server cannot be reached or a command times out,
 * {@link kr.codeb.AuthException} for an unknown or changed host key or a refused login.
 */
public interface ServerLink extends AutoCloseable {
  /** The endpoint this link logs in to. */
  SshEndpoint endpoint();

  /**
   * Runs {@code command} through the login user's POSIX shell with stdin closed and returns its
   * exit status and output; a non-zero status is a result, not a failure. When {@code timeout}
   * passes first the command's processes are killed and {@link kr.codeb.UnavailableException}
   * is thrown. Not repeated on a new connection: the caller decides what is safe to repeat.
   */
  CommandResult run(String command, Duration timeout);

  /**
   * Writes {@code content} to the absolute {@code path} on the server, atomically: into a new
   * temporary file in the same folder, given {@code mode} (for example {@code 0600}), then
   * renamed over {@code path}. Readers see the old file or the whole new one, never a part; on a
   * failure {@code path} is unchanged and the temporary file is removed. The file is owned by the
   * login user. A symbolic link at {@code path} is replaced, not followed. Not repeated on a new
   * connection.
   *
   * @throws kr.codeb.InvalidRequestException for a path that is not absolute or a mode outside
   *     {@code 0000-7777}
   * @throws kr.codeb.NotFoundException when the folder does not exist
   * @throws kr.codeb.AuthException when the login user may not write there
   */
  void upload(InputStream content, String path, int mode);

  /** {@link #upload(InputStream, String, int)} with the bytes of {@code content}. */
  default void upload(byte[] content, String path, int mode) {
    upload(new ByteArrayInputStream(content), path, mode);
  }

  /**
   * The content of the file at the absolute {@code path} on the server. Idempotent: repeated once
   * on a new connection when the connection drops.
   *
   * @throws kr.codeb.NotFoundException when there is no such file
   * @throws kr.codeb.InvalidRequestException when the file is larger than {@code maxBytes}
   *     (nothing is returned)
   */
  byte[] download(String path, long maxBytes);

  /**
   * A port on this machine's loopback whose connections reach {@code host:port} as the server
   * sees it ({@code 127.0.0.1:2019} is the server's own loopback). Open until closed; each
   * connection to it opens its own channel.
   */
  Forward forward(String host, int port);

  /**
   * A Unix socket on this machine (in a folder only this user may enter) whose every connection
   * runs {@code command} on the server and carries the connection's bytes to the command's
   * stdin and from its stdout: {@code docker system dial-stdio} makes it the engine's own socket.
   * Open until closed.
   */
  Bridge bridge(String command);

  /** Closes this link's forwards and bridges; the shared connection stays for other links. */
  @Override
  void close();

  /** A local loopback port forwarded to the server. */
  interface Forward extends AutoCloseable {
    /** The port on 127.0.0.1. */
    int localPort();

    /** Stops listening. Idempotent; never throws. */
    @Override
    void close();
  }

  /** A local Unix socket bridged to a command on the server. */
  interface Bridge extends AutoCloseable {
    /** The socket's path. */
    Path socket();

    /** Stops listening and removes the socket. Idempotent; never throws. */
    @Override
    void close();
  }

  /**
   * What a remote command left. {@link #toString()} shows only the status: output may hold
   * secrets.
   */
  record CommandResult(int exitStatus, String stdout, String stderr) {
    public CommandResult {
      stdout = stdout == null ? "" : stdout;
      stderr = stderr == null ? "" : stderr;
    }

    public boolean succeeded() {
      return exitStatus == 0;
    }

    @Override
    public String toString() {
      return "CommandResult[exitStatus=" + exitStatus + ", stdout=" + stdout.length()
          + " chars, stderr=" + stderr.length() + " chars]";
    }
  }
}
