package kr.codeb.ssh.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import kr.codeb.Checks;
import kr.codeb.InvalidRequestException;
import kr.codeb.fleet.ServerLink;
import kr.codeb.ssh.ExecResult;
import kr.codeb.ssh.FileOwner;
import kr.codeb.ssh.Idempotency;
import kr.codeb.ssh.SshConfig;
import kr.codeb.ssh.SshConnection;
import kr.codeb.ssh.SshTarget;
import kr.codeb.ssh.Tunnel;

/**
 * The {@link SshConnection} callers hold: checks arguments, takes a live connection from its
 * source for each call, and when the connection drops during a call, repeats an idempotent call
 * once on a new connection and fails a non-idempotent one.
 */
public final class ReopeningConnection implements SshConnection {
  private final SshTarget target;
  private final SshConfig config;
  private final ConnectionSource source;
  private final Set<AutoCloseable> tunnels = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  ReopeningConnection(SshTarget target, SshConfig config, ConnectionSource source) {
    this.target = target;
    this.config = config;
    this.source = source;
  }

  /** A connection that owns one live connection (opened now), closed with it. */
  public static SshConnection owned(SshTarget target, SshConfig config) {
    OwnedSource source = new OwnedSource(target, config);
    source.acquire();
    return new ReopeningConnection(target, config, source);
  }

  @FunctionalInterface
  interface Call<T> {
    T run(LiveConnection live) throws IOException;
  }

  @Override
  public SshTarget target() {
    return target;
  }

  @Override
  public SshConfig config() {
    return config;
  }

  @Override
  public ExecResult exec(String command, Duration timeout, Idempotency idempotency) {
    if (command == null || command.isBlank() || command.indexOf('\0') >= 0) {
      throw new InvalidRequestException("a remote command must be non-blank text without NUL");
    }
    Checks.positive("command timeout", timeout);
    Objects.requireNonNull(idempotency, "idempotency");
    return call("command `" + LiveConnection.programOf(command) + " ...`", idempotency,
        live -> live.exec(command, timeout));
  }

  @Override
  public void upload(byte[] content, String remotePath, int mode, Optional<FileOwner> owner) {
    if (content == null) {
      throw new InvalidRequestException("upload content is required (empty for an empty file)");
    }
    upload(new ByteArrayInputStream(content), remotePath, mode, owner);
  }

  @Override
  public void upload(InputStream content, String remotePath, int mode, Optional<FileOwner> owner) {
    if (content == null) {
      throw new InvalidRequestException("upload content is required");
    }
    SftpFiles.checkPath(remotePath);
    SftpFiles.checkMode(mode);
    Objects.requireNonNull(owner, "owner (Optional.empty() for none)");
    call("upload to " + remotePath, Idempotency.NOT_IDEMPOTENT, live -> {
      live.upload(content, remotePath, mode, owner);
      return null;
    });
  }

  @Override
  public byte[] download(String remotePath, long maxBytes) {
    SftpFiles.checkPath(remotePath);
    if (maxBytes < 0) {
      throw new InvalidRequestException("download limit " + maxBytes + " must be 0 or more bytes");
    }
    return call("download of " + remotePath, Idempotency.IDEMPOTENT,
        live -> live.download(remotePath, maxBytes));
  }

  @Override
  public Tunnel forward(String remoteHost, int remotePort) {
    checkHost(remoteHost);
    Checks.port("remote port", remotePort);
    requireOpen();
    String what = "tunnel to " + remoteHost + ":" + remotePort;
    call(what, Idempotency.IDEMPOTENT, live -> null); // log in now: fail here, not per request
    Relay tunnel = Relay.tcp(remoteHost, remotePort,
        () -> call(what, Idempotency.IDEMPOTENT, live -> live.openDirect(remoteHost, remotePort)),
        tunnels::remove);
    tunnels.add(tunnel);
    return tunnel;
  }

  @Override
  public ServerLink.Bridge bridge(String command) {
    requireOpen();
    String what = "command `" + LiveConnection.programOf(command) + " ...`";
    call(what, Idempotency.IDEMPOTENT, live -> null);
    Relay bridge = Relay.unix(what + " on " + target.address(),
        () -> call(what, Idempotency.IDEMPOTENT, live -> live.openCommand(command)),
        tunnels::remove);
    tunnels.add(bridge);
    return bridge;
  }

  static void checkHost(String host) {
    if (host == null || !host.matches("[A-Za-z0-9._:-]{1,253}")) {
      throw new InvalidRequestException("invalid tunnel destination host "
          + (host == null ? "(none)" : Checks.quote(host.length() > 64 ? host.substring(0, 64)
              + "..." : host))
          + ": use an IP address or host name as seen from the server (e.g. 127.0.0.1)");
    }
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("this SSH connection to " + target.address() + " is closed");
    }
  }

  private <T> T call(String what, Idempotency idempotency, Call<T> call) {
    if (closed) {
      throw new IllegalStateException("this SSH connection to " + target.address() + " is closed");
    }
    LiveConnection live = source.acquire();
    try {
      return runOnce(live, call);
    } catch (IOException e) {
      if (live.isAlive() && !Failures.isConnectionLoss(e)) {
        throw Failures.io(target, what, e);
      }
      source.broken(live);
      if (idempotency != Idempotency.IDEMPOTENT) {
        throw Failures.dropped(target, what, e, false);
      }
    }
    LiveConnection fresh = source.acquire();
    try {
      return runOnce(fresh, call);
    } catch (IOException e) {
      if (fresh.isAlive() && !Failures.isConnectionLoss(e)) {
        throw Failures.io(target, what, e);
      }
      source.broken(fresh);
      throw Failures.dropped(target, what, e, true);
    }
  }

  /**
   * Runs the call; sshj refuses calls on a connection that died a moment ago with an unchecked
   * "Not connected": that is a connection failure like any other.
   */
  private static <T> T runOnce(LiveConnection live, Call<T> call) throws IOException {
    try {
      return call.run(live);
    } catch (kr.codeb.CodeBException e) {
      throw e;
    } catch (RuntimeException e) {
      if (live.isAlive()) {
        throw e;
      }
      throw new IOException("the SSH connection closed", e);
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (AutoCloseable t : tunnels) {
      try {
        t.close();
      } catch (Exception ignored) {
        // relays never throw on close
      }
    }
    source.release();
  }

  @Override
  public String toString() {
    return "SshConnection[" + target + "]";
  }

  /** A source owning its live connection; reopens it when it died. */
  private static final class OwnedSource implements ConnectionSource {
    private final SshTarget target;
    private final SshConfig config;
    private LiveConnection live;

    OwnedSource(SshTarget target, SshConfig config) {
      this.target = target;
      this.config = config;
    }

    @Override
    public synchronized LiveConnection acquire() {
      if (live == null || !live.isAlive()) {
        if (live != null) {
          live.close();
        }
        live = Connector.open(target, config);
      }
      return live;
    }

    @Override
    public synchronized void broken(LiveConnection broken) {
      broken.close();
      if (live == broken) {
        live = null;
      }
    }

    @Override
    public synchronized void release() {
      if (live != null) {
        live.close();
        live = null;
      }
    }
  }
}
