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
  /** The process a container runs: {@code web}, or a worker's name (absent before processes). */
  public static final String PROCESS = "codeb.process";
  /** Which of its process's containers it is, from 1. */
  public static final String PROCESS_INDEX = "codeb.process.index";
  /** A worker's health command, each argument URL-encoded, joined by spaces; absent for none. */
  public static final String PROCESS_HEALTH = "codeb.process.health";

  private SlotNames() {}

  /** {@code <project>-<env>-<slot>}. */
  public static ContainerId container(DeployKey key, Slot slot) {
    return new ContainerId(key.id() + "-" + slot.id());
  }

  /**
   * {@code <project>-<env>-<slot>-<process>-<n>}: a worker's container. The {@code web}
   * container keeps {@link #container(DeployKey, Slot)}, the name every fleet's running
   * containers have had since the first release, so upgrading CodeB leaves a running project's
   * live and previous slot where the deploy, rollback and status look for them.
   */
  public static ContainerId container(DeployKey key, Slot slot, String process, int n) {
    return process.equals("web") ? container(key, slot)
        : new ContainerId(key.id() + "-" + slot.id() + "-" + process + "-" + n);
  }

  /** Whether a project container runs a worker (a process other than {@code web}). */
  public static boolean isWorker(Map<String, String> labels) {
    String process = labels.get(PROCESS);
    return process != null && !process.equals("web");
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
    labels.put(PROCESS, "web");
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
