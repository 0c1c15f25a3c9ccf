package kr.codeb.init.internal;

import java.util.List;
import java.util.Optional;
import kr.codeb.InvalidRequestException;
import kr.codeb.UnavailableException;
import kr.codeb.init.InitRequest;
import kr.codeb.init.InitStep;
import kr.codeb.init.StepAction;
import kr.codeb.init.StepPlan;
import kr.codeb.init.StepResult;
import kr.codeb.ports.PortOperations;
import kr.codeb.ports.PortProbe;
import kr.codeb.ports.PortRange;
import kr.codeb.ports.ProjectPorts;
import kr.codeb.ports.Registry;
import kr.codeb.ports.SlotPorts;
import kr.codeb.ports.SsotStore;

/**
 * Step 1: the project's blue/green pair in the SSOT ({@link PortOperations#allocate}), never
 * one a container on the project's app servers already publishes ({@code appPorts}).
 */
public final class PortsStep implements InitStep {
  static final String ITEM = "ports";
  private final InitRequest request;
  private final SsotStore ssot;
  private final PortProbe appPorts;

  public PortsStep(InitRequest request, SsotStore ssot, PortProbe appPorts) {
    this.request = request;
    this.ssot = ssot;
    this.appPorts = appPorts;
  }

  @Override
  public String id() {
    return "ports";
  }

  @Override
  public String title() {
    return "SSOT ports";
  }

  @Override
  public StepPlan plan() {
    Registry registry = read(ssot);
    PortRange range = PortOperations.requireProjectEnvironment(registry, request.environment());
    Optional<SlotPorts> held = registry.ports(request.project(), request.environment());
    if (held.isPresent()) {
      return StepPlan.of(this, StepAction.UNCHANGED, List.of(describe(held.get())));
    }
    return StepPlan.of(this, StepAction.CREATE, List.of("allocate a blue/green pair in "
        + request.environment() + "'s range " + range.start() + "-" + range.end()));
  }

  /**
   * The SSOT as it is now. A file that cannot be read (a folder in its place, no permission, a
   * broken file) is a fault of this step's system, not bad input of the request: it is
   * re-told as an {@link UnavailableException} (exit 1, resumable), so the run's journal
   * records it and the same command resumes here once the SSOT is readable again.
   */
  static Registry read(SsotStore ssot) {
    try {
      return ssot.read();
    } catch (InvalidRequestException unreadable) {
      throw new UnavailableException("the SSOT cannot be read: " + Failures.why(unreadable),
          unreadable.provider().orElse(null), 0, unreadable);
    }
  }

  @Override
  public List<String> intended(StepPlan plan) {
    return plan.action() == StepAction.CREATE ? List.of(ITEM) : List.of();
  }

  @Override
  public StepResult apply(StepPlan plan) {
    ProjectPorts ports = new PortOperations(ssot, appPorts).allocate(request.project(),
        request.environment());
    return StepResult.done(plan, List.of(describe(ports.ports()) + (ports.created()
        ? " (allocated)" : "")), ports.created() ? List.of(ITEM) : List.of());
  }

  @Override
  public List<String> undoPlan(List<String> created, boolean deleteData) {
    if (!created.contains(ITEM)) {
      return List.of();
    }
    return ssot.read().ports(request.project(), request.environment())
        .map(p -> List.of("release " + describe(p) + " in the SSOT")).orElse(List.of());
  }

  @Override
  public List<String> undo(List<String> created, boolean deleteData) {
    List<String> what = undoPlan(created, deleteData);
    if (what.isEmpty()) {
      return List.of();
    }
    new PortOperations(ssot).release(request.project(), request.environment());
    return List.of(what.get(0).replaceFirst("^release", "released"));
  }

  static String describe(SlotPorts p) {
    return "blue " + p.blue() + ", green " + p.green();
  }
}
