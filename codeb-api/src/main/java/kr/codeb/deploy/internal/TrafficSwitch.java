package kr.codeb.deploy.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import kr.codeb.AuthException;
import kr.codeb.CodeBException;
import kr.codeb.ConflictException;
import kr.codeb.InvalidRequestException;
import kr.codeb.NotFoundException;
import kr.codeb.deploy.DeployContext;
import kr.codeb.deploy.DeployKey;
import kr.codeb.deploy.DeployProgress;
import kr.codeb.internal.SlotNames;
import kr.codeb.proxy.Route;
import kr.codeb.proxy.Upstream;

/**
 * Moves a project's traffic to an upstream and finds out what really happened. When the proxy
 * refuses the change, traffic did not move. When the change's answer is lost (the connection
 * broke after the request may have been applied), the route is read back, retrying for up to
 * {@link #READ_BACK}, and its upstream says whether it moved; if it cannot be read, the outcome
 * is unknown, and says which commands show and settle it. After a change the proxy confirms
 * that new requests for each of the route's hosts reach the upstream.
 */
public final class TrafficSwitch {
  /** How long a switch may take until new requests reach the new slot. */
  public static final Duration CONFIRM = Duration.ofSeconds(10);
  /** How long the route is read back after a change whose answer was lost. */
  static final Duration READ_BACK = Duration.ofSeconds(10);
  private static final long READ_BACK_PAUSE_MS = 250;

  private final DeployContext ctx;
  private final DeployKey key;
  private final DeployProgress progress;

  public TrafficSwitch(DeployContext ctx, DeployKey key, DeployProgress progress) {
    this.ctx = ctx;
    this.key = key;
    this.progress = progress;
  }

  /** Points the project's route at {@code to}, adding {@code newHosts} to its hosts. */
  public SwitchOutcome to(Upstream to, List<String> newHosts) {
    return to(List.of(to), newHosts);
  }

  /**
   * Points the project's route at every upstream of {@code to} in one proxy change (a project
   * on several app servers), adding {@code newHosts} to its hosts.
   */
  public SwitchOutcome to(List<Upstream> all, List<String> newHosts) {
    List<Upstream> to = List.copyOf(all);
    String routeId = SlotNames.route(key);
    Optional<Route> route;
    try {
      route = retrying(() -> ctx.proxy().route(routeId));
    } catch (CodeBException e) {
      return SwitchOutcome.notSwitched("traffic was not switched: the proxy could not be read ("
          + e.getMessage() + ")");
    }
    Set<String> hosts = new LinkedHashSet<>(route.map(Route::hosts).orElse(List.of()));
    boolean addsHosts = hosts.addAll(newHosts);
    progress.step("switching " + routeId + " to " + dials(to));
    boolean single = to.size() == 1
        && route.map(r -> r.upstreams().size() == 1).orElse(true);
    try {
      if (route.isPresent() && !addsHosts) {
        if (single) {
          ctx.proxy().switchUpstream(routeId, to.get(0));
        } else {
          ctx.proxy().switchUpstreams(routeId, to);
        }
      } else {
        ctx.proxy().upsert(new Route(routeId, new ArrayList<>(hosts), to));
      }
    } catch (ConflictException | NotFoundException | InvalidRequestException | AuthException e) {
      return SwitchOutcome.notSwitched("traffic was not switched: " + e.getMessage());
    } catch (CodeBException lost) {
      Optional<Boolean> moved = readBack(routeId, to);
      if (moved.isEmpty()) {
        return SwitchOutcome.unknown(unknownMessage(to, "the proxy failed during the switch ("
            + lost.getMessage() + ") and could not be read back within "
            + READ_BACK.toSeconds() + " s"));
      }
      if (!moved.get()) {
        return SwitchOutcome.notSwitched("traffic was not switched: the proxy failed during the"
            + " switch (" + lost.getMessage() + "); read back, the route still points elsewhere");
      }
    }
    try {
      // Only then may the old slot drain: new requests must already go to the new one.
      retrying(() -> {
        if (to.size() == 1) {
          ctx.proxy().awaitUpstream(routeId, to.get(0), CONFIRM);
        } else {
          ctx.proxy().awaitUpstreams(routeId, to, CONFIRM);
        }
        return null;
      });
    } catch (CodeBException e) {
      return SwitchOutcome.unknown(unknownMessage(to, "the route points to " + dials(to)
          + " but it could not be confirmed that requests reach it: " + e.getMessage()));
    }
    return SwitchOutcome.switched();
  }

  /** Whether the route points at {@code to}; empty if the proxy could not be read in time. */
  private Optional<Boolean> readBack(String routeId, List<Upstream> to) {
    try {
      return Optional.of(retrying(() -> ctx.proxy().route(routeId)
          .map(r -> r.upstreams().size() == to.size()
              && java.util.Set.copyOf(r.upstreams()).equals(java.util.Set.copyOf(to)))
          .orElse(false)));
    } catch (CodeBException e) {
      return Optional.empty();
    }
  }

  /**
   * Runs a read of the proxy, again while it fails as unreachable, for up to
   * {@link #READ_BACK}; any other failure, or the last one, is thrown.
   */
  private <T> T retrying(java.util.function.Supplier<T> read) {
    long deadline = System.nanoTime() + READ_BACK.toNanos();
    while (true) {
      try {
        return read.get();
      } catch (kr.codeb.UnavailableException e) {
        if (System.nanoTime() + READ_BACK_PAUSE_MS * 1_000_000 > deadline) {
          throw e;
        }
      }
      try {
        Thread.sleep(READ_BACK_PAUSE_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new kr.codeb.UnavailableException("interrupted while reading the proxy back", e);
      }
    }
  }

  /** {@code 127.0.0.1:4101}, or {@code [10.0.0.2:4101, 10.0.0.3:4101]} for several. */
  static String dials(List<Upstream> to) {
    return to.size() == 1 ? to.get(0).dial() : to.stream().map(Upstream::dial).toList().toString();
  }

  private String unknownMessage(List<Upstream> to, String why) {
    String target = "--env " + key.environment();
    return "whether traffic goes to " + dials(to) + " is unknown: " + why + ". `we slot "
        + key.project() + " " + target + "` shows where it goes; `we promote " + key.project()
        + " " + target + " --slot SLOT` points it at the slot you want";
  }

  /** What a switch did; {@code message} is empty when it switched and was confirmed. */
  public record SwitchOutcome(State state, String message) {
    public enum State { SWITCHED, NOT_SWITCHED, UNKNOWN }

    static SwitchOutcome switched() {
      return new SwitchOutcome(State.SWITCHED, "");
    }

    static SwitchOutcome notSwitched(String why) {
      return new SwitchOutcome(State.NOT_SWITCHED, why);
    }

    static SwitchOutcome unknown(String why) {
      return new SwitchOutcome(State.UNKNOWN, why);
    }

    /** The release outcome for the history: {@code success} only when it switched. */
    public kr.codeb.deploy.ReleaseOutcome outcome(kr.codeb.deploy.ReleaseOutcome success) {
      return switch (state) {
        case SWITCHED -> success;
        case NOT_SWITCHED -> kr.codeb.deploy.ReleaseOutcome.FAILED;
        case UNKNOWN -> kr.codeb.deploy.ReleaseOutcome.SWITCH_UNKNOWN;
      };
    }
  }
}
