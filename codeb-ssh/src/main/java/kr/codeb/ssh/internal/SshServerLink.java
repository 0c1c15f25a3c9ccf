package kr.codeb.ssh.internal;

import java.io.InputStream;
import java.time.Duration;
import java.util.Optional;
import kr.codeb.fleet.ServerLink;
import kr.codeb.fleet.SshEndpoint;
import kr.codeb.ssh.ExecResult;
import kr.codeb.ssh.SshConnection;

/** A {@link ServerLink} on a lease of a pooled SSH connection. */
public final class SshServerLink implements ServerLink {
  private final SshEndpoint endpoint;
  private final SshConnection connection;

  public SshServerLink(SshEndpoint endpoint, SshConnection connection) {
    this.endpoint = endpoint;
    this.connection = connection;
  }

  @Override
  public SshEndpoint endpoint() {
    return endpoint;
  }

  @Override
  public CommandResult run(String command, Duration timeout) {
    ExecResult r = connection.exec(command, timeout);
    return new CommandResult(r.exitStatus(), r.stdout(), r.stderr());
  }

  @Override
  public void upload(InputStream content, String path, int mode) {
    connection.upload(content, path, mode, Optional.empty());
  }

  @Override
  public byte[] download(String path, long maxBytes) {
    return connection.download(path, maxBytes);
  }

  @Override
  public Forward forward(String host, int port) {
    return connection.forward(host, port);
  }

  @Override
  public Bridge bridge(String command) {
    return connection.bridge(command);
  }

  @Override
  public void close() {
    connection.close();
  }

  @Override
  public String toString() {
    return "ServerLink[" + endpoint.serverName() + " " + endpoint.address() + "]";
  }
}
