package kr.codeb.cli.internal;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
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
 *
 * <p>Links to different servers open at the same time; callers asking for a server whose link
 * is being opened wait for that one attempt and share its outcome (the link, or its failure),
 * so a server that hangs costs its timeout once. A failed attempt is forgotten: the next caller
 * tries again.
 */
final class FleetLinks {
  private static final Map<SshEndpoint, CompletableFuture<ServerLink>> LINKS =
      new ConcurrentHashMap<>();

  private FleetLinks() {}

  /** The link to {@code server}, opened (and logged in) on first use. */
  static ServerLink of(ProviderRegistry registry, Server server) {
    SshEndpoint endpoint = server.ssh().orElseThrow(() -> new IllegalArgumentException(
        "server " + server.name() + " has no ssh"));
    while (true) {
      CompletableFuture<ServerLink> link = LINKS.get(endpoint);
      if (link == null) {
        CompletableFuture<ServerLink> mine = new CompletableFuture<>();
        link = LINKS.putIfAbsent(endpoint, mine);
        if (link == null) {
          return openInto(mine, registry, endpoint);
        }
      }
      try {
        return link.join();
      } catch (CompletionException e) {
        // Another caller's attempt failed (and was forgotten): its failure is this one's too.
        throw e.getCause() instanceof RuntimeException r ? r : e;
      }
    }
  }

  private static ServerLink openInto(CompletableFuture<ServerLink> mine,
      ProviderRegistry registry, SshEndpoint endpoint) {
    try {
      ServerLink opened = registry.serverLink(endpoint);
      mine.complete(opened);
      return opened;
    } catch (RuntimeException | Error e) {
      LINKS.remove(endpoint, mine);
      mine.completeExceptionally(e);
      throw e;
    }
  }

  /**
   * Starts opening the links to {@code servers} (those with SSH) in the background, all at once,
   * so the commands that use them later find them logged in. A failure here is not reported:
   * the first use of that server opens it again and reports its own failure, naming what it
   * was doing.
   */
  static void openAhead(ProviderRegistry registry, Collection<Server> servers) {
    servers.stream().filter(s -> s.ssh().isPresent()).distinct().forEach(server ->
        CompletableFuture.runAsync(() -> of(registry, server),
            DaemonThreads.ownThread("codeb-link-" + server.name())));
  }

  /** A registry whose providers run on the target's server when it is remote. */
  static ProviderRegistry registryFor(ProviderRegistry registry, EngineTarget target) {
    return target.remote() ? registry.on(of(registry, target.server().get())) : registry;
  }
}
