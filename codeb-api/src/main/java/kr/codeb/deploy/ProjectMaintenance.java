package kr.codeb.deploy;

import java.util.Objects;
import java.util.Optional;
import kr.codeb.NotFoundException;
import kr.codeb.internal.SlotNames;
import kr.codeb.proxy.Maintenance;

/**
 * A project's maintenance mode in its environment: the proxy answers 503 with a page for the
 * project's hosts only (see {@code ReverseProxy.maintenanceOn}). The slots and their containers
 * are not touched; a deploy or a switch during maintenance keeps the mode.
 */
public final class ProjectMaintenance {
  private final DeployContext ctx;

  public ProjectMaintenance(DeployContext ctx) {
    this.ctx = Objects.requireNonNull(ctx, "ctx");
  }

  private String route(DeployKey key) {
    String route = SlotNames.route(Objects.requireNonNull(key, "key"));
    if (ctx.proxy().route(route).isEmpty()) {
      throw new NotFoundException(key + " has no route in the proxy (nothing deployed yet):"
          + " deploy it before turning maintenance on or off");
    }
    return route;
  }

  /**
   * Turns maintenance on (or changes its message or Retry-After).
   *
   * @return {@code false} if it was already on with exactly this mode
   */
  public boolean on(DeployKey key, Maintenance mode) {
    String route = route(key);
    boolean same = ctx.proxy().maintenance(route).equals(Optional.of(mode));
    if (!same) {
      ctx.proxy().maintenanceOn(route, mode);
    }
    return !same;
  }

  /** Turns maintenance off; {@code false} if it was off. */
  public boolean off(DeployKey key) {
    return ctx.proxy().maintenanceOff(route(key));
  }

  /** The mode, if on; empty also when the project has no route yet. */
  public Optional<Maintenance> status(DeployKey key) {
    String route = SlotNames.route(Objects.requireNonNull(key, "key"));
    if (ctx.proxy().route(route).isEmpty()) {
      return Optional.empty();
    }
    return ctx.proxy().maintenance(route);
  }
}
