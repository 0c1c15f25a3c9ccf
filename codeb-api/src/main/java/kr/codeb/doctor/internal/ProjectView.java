package kr.codeb.doctor.internal;

import java.util.Objects;
import java.util.Optional;
import kr.codeb.deploy.DeployKey;
import kr.codeb.doctor.ServerEngine;
import kr.codeb.model.Slot;
import kr.codeb.ports.SlotPorts;
import kr.codeb.proxy.Route;
import kr.codeb.proxy.Upstream;

/**
 * One project and environment of the SSOT as CodeB believes it runs.
 *
 * @param engine the engine of its app server, if the doctor has it
 * @param historyLive the slot the release history last sent traffic to
 * @param lastImage the image of that release
 * @param route its route on the proxy, if any
 */
public record ProjectView(DeployKey key, SlotPorts ports, Optional<ServerEngine> engine,
    Optional<Slot> historyLive, Optional<String> lastImage, Optional<Route> route) {
  public ProjectView {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(ports, "ports");
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(historyLive, "historyLive");
    Objects.requireNonNull(lastImage, "lastImage");
    Objects.requireNonNull(route, "route");
  }

  /** The slot the route dials, when it dials one of the project's slots on its server. */
  public Optional<Slot> routeSlot() {
    return route.map(Route::upstream).filter(this::onServer)
        .flatMap(u -> ports.slotOf(u.port()));
  }

  /** The live slot: the release history's, else the route's. Empty: never deployed. */
  public Optional<Slot> live() {
    return historyLive.or(this::routeSlot);
  }

  /** Where the route should dial for {@code slot}. */
  public Optional<Upstream> upstream(Slot slot) {
    return engine.map(e -> new Upstream(e.upstreamAddress(), ports.port(slot)));
  }

  private boolean onServer(Upstream u) {
    return engine.map(e -> e.upstreamAddress().equals(u.address())).orElse(true);
  }

  public String describe() {
    return key.project() + " " + key.environment();
  }
}
