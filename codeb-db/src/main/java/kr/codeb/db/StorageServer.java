package kr.codeb.db;

import java.util.Objects;
import kr.codeb.InvalidRequestException;
import kr.codeb.fleet.Server;
import kr.codeb.fleet.ServerLink;
import kr.codeb.runtime.ContainerRuntime;

/**
 * The storage server the databases run on, with the ways CodeB reaches it.
 *
 * @param runtime its container engine (the databases' containers)
 * @param link SSH to it: tunnels to the databases, backups, the credentials file
 * @param engineCli the engine's command line on the server, for what the engine API does not
 *     offer (exec, copy): {@code docker}, {@code docker --host unix:///run/docker.sock},
 *     {@code podman --url unix://...}
 * @param dataDir the folder on the server for credentials ({@code secrets/}, mode 0700) and
 *     backups ({@code backups/}); {@code /opt/codeb/db} by default
 */
public record StorageServer(Server server, ContainerRuntime runtime, ServerLink link,
    String engineCli, String dataDir) {
  public static final String DEFAULT_DATA_DIR = "/opt/codeb/db";

  public StorageServer {
    if (engineCli == null || !engineCli.matches("(docker|podman)( --(host|url) unix:///[^\\s'\"]+)?")) {
      throw new InvalidRequestException("engine command line '" + engineCli + "' is not docker"
          + " or podman with an optional unix socket");
    }
    if (dataDir == null || !dataDir.matches("/[A-Za-z0-9_./-]*") || dataDir.contains("..")) {
      throw new InvalidRequestException("database folder '" + dataDir + "' must be an absolute"
          + " path of letters, digits, '_', '.', '-' and '/'");
    }
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(runtime, "runtime");
    Objects.requireNonNull(link, "link");
    dataDir = dataDir.length() > 1 && dataDir.endsWith("/")
        ? dataDir.substring(0, dataDir.length() - 1) : dataDir;
  }
}
