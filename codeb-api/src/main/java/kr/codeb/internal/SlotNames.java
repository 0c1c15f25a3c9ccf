package kr.codeb.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import kr.codeb.deploy.DeployKey;
import kr.codeb.model.Slot;
import kr.codeb.ports.SlotPorts;
import kr.codeb.proxy.ReverseProxy;
import kr.codeb.proxy.Route;
import kr.codeb.runtime.ContainerId;

/** The names CodeB gives a project's things, and where the live slot is read from. */
public final class SlotNames {
  public static final String PROJECT = "codeb.project";
  public static final String ENV = "codeb.env";
  public static final String SLOT = "codeb.slot";
  public static final String RELEASE = "codeb.release";

  private SlotNames() {}

  /** {@code <project>-<env>-<slot>}. */
  public static ContainerId container(DeployKey key, Slot slot) {
    return new ContainerId(key.id() + "-" + slot.id());
  }

  /** The route of a project in an environment: {@code <project>-<env>}. */
  public static String route(DeployKey key) {
    return key.id();
  }

  public static Map<String, String> labels(DeployKey key) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(PROJECT, key.project().value());
    labels.put(ENV, key.environment().name());
    return labels;
  }

  public static Map<String, String> labels(DeployKey key, Slot slot, String release) {
    Map<String, String> labels = labels(key);
    labels.put(SLOT, slot.id());
    labels.put(RELEASE, release);
    return labels;
  }

  /**
   * The slot traffic goes to, read from the proxy (the truth of where traffic goes): the slot
   * whose port the route dials. Empty when there is no route or it dials neither port.
   */
  public static Optional<Slot> liveSlot(ReverseProxy proxy, DeployKey key, SlotPorts ports) {
    return proxy.route(route(key)).map(Route::upstream).flatMap(u -> ports.slotOf(u.port()));
  }
}
