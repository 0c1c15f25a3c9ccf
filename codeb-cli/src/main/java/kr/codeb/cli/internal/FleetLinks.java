package kr.codeb.cli.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import kr.codeb.ProviderRegistry;
import kr.codeb.fleet.Server;
import kr.codeb.fleet.ServerLink;
import kr.codeb.fleet.SshEndpoint;

/**
 * The links to the fleet's servers, one per SSH endpoint for the life of the process (one
 * command, or {@code we daemon}): providers pooled by the daemon keep using theirs. The SSH
 * connections under them close when idle and reopen on the next use, so an open link costs
 * nothing while unused.
 */
final class FleetLinks {
  private static final Map<SshEndpoint, ServerLink> LINKS = new ConcurrentHashMap<>();

  private FleetLinks() {}

  /** The link to {@code server}, opened (and logged in) on first use. */
  static ServerLink of(ProviderRegistry registry, Server server) {
    SshEndpoint endpoint = server.ssh().orElseThrow(() -> new IllegalArgumentException(
        "server " + server.name() + " has no ssh"));
    ServerLink link = LINKS.get(endpoint);
    if (link != null) {
      return link;
    }
    synchronized (LINKS) {
      return LINKS.computeIfAbsent(endpoint, registry::serverLink);
    }
  }

  /** A registry whose providers run on the target's server when it is remote. */
  static ProviderRegistry registryFor(ProviderRegistry registry, EngineTarget target) {
    return target.remote() ? registry.on(of(registry, target.server().get())) : registry;
  }
}
