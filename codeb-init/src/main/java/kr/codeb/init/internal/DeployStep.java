package kr.codeb.init.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import kr.codeb.InvalidRequestException;
import kr.codeb.UnavailableException;
import kr.codeb.deploy.DeployContext;
import kr.codeb.deploy.DeployProgress;
import kr.codeb.deploy.DeployRequest;
import kr.codeb.deploy.DeployResult;
import kr.codeb.deploy.Deployments;
import kr.codeb.deploy.EnvSource;
import kr.codeb.deploy.SlotReport;
import kr.codeb.deploy.SlotState;
import kr.codeb.env.EnvFile;
import kr.codeb.env.EnvFileStore;
import kr.codeb.init.InitRequest;
import kr.codeb.init.InitStep;
import kr.codeb.init.StepAction;
import kr.codeb.init.StepPlan;
import kr.codeb.init.StepResult;
import kr.codeb.model.Slot;
import kr.codeb.ports.SsotStore;
import kr.codeb.runtime.ContainerId;

/**
 * With {@code --image}: the first blue-green deploy, with the env file's values. Unchanged once
 * the live slot runs the image. Created item: {@code containers:<image>}; destroy removes the
 * project's slot containers (their images stay). The app server's engines are opened when the
 * step first needs them ({@code context}), so a fault there fails this step, named.
 */
public final class DeployStep implements InitStep {
  private final InitRequest request;
  private final SsotStore ssot;
  private final Supplier<DeployContext> context;
  private final EnvFileStore envFiles;

  public DeployStep(InitRequest request, SsotStore ssot, Supplier<DeployContext> context,
      EnvFileStore envFiles) {
    this.request = request;
    this.ssot = ssot;
    this.context = context;
    this.envFiles = envFiles;
  }

  @Override
  public String id() {
    return "deploy";
  }

  @Override
  public String title() {
    return "first deploy";
  }

  private String image() {
    return request.image().orElseThrow(() -> new InvalidRequestException("no --image"));
  }

  @Override
  public StepPlan plan() {
    // Without ports nothing can have been deployed: the engines need not be opened to know.
    if (ssot.read().ports(request.project(), request.environment()).isEmpty()) {
      return StepPlan.of(this, StepAction.CREATE, List.of("deploy " + image()));
    }
    SlotReport report = new Deployments(context.get()).status(request.key());
    for (SlotState s : report.slots()) {
      if (s.live() && s.container().filter(c -> c.isRunning() && image().equals(c.image()))
          .isPresent()) {
        return StepPlan.of(this, StepAction.UNCHANGED, List.of(image() + " is live in the "
            + s.slot().id() + " slot"));
      }
    }
    return StepPlan.of(this, StepAction.CREATE, List.of("deploy " + image()));
  }

  @Override
  public List<String> intended(StepPlan plan) {
    return List.of("containers:" + image());
  }

  @Override
  public StepResult apply(StepPlan plan) {
    Map<String, String> env = envFiles.read(request.project(), request.environment())
        .map(EnvFile::values).orElse(Map.of());
    DeployRequest deploy = DeployRequest.builder(request.key(), image())
        .hosts(List.of(request.domain()))
        .env(env, env.isEmpty() ? EnvSource.NONE : EnvSource.projectFile(
            envFiles.location(request.project(), request.environment()), List.of()))
        .actor("we init").build();
    DeployResult r = new Deployments(context.get()).deploy(deploy, DeployProgress.SILENT);
    if (!r.succeeded()) {
      throw new UnavailableException("the deploy of " + image() + " failed: "
          + r.reason().orElse("no reason given"));
    }
    return StepResult.done(plan, List.of("deployed " + image()),
        List.of("containers:" + image()));
  }

  @Override
  public List<String> undoPlan(List<String> created, boolean deleteData) {
    List<String> out = new ArrayList<>();
    if (created.stream().anyMatch(c -> c.startsWith("containers:"))) {
      for (Slot slot : Slot.values()) {
        ContainerId id = container(slot);
        if (context.get().runtime().inspect(id).isPresent()) {
          out.add("remove container " + id.value());
        }
      }
    }
    return out;
  }

  @Override
  public List<String> undo(List<String> created, boolean deleteData) {
    List<String> out = new ArrayList<>();
    if (created.stream().noneMatch(c -> c.startsWith("containers:"))) {
      return out;
    }
    for (Slot slot : Slot.values()) {
      ContainerId id = container(slot);
      if (context.get().runtime().inspect(id).isPresent()) {
        context.get().runtime().stop(id, Duration.ofSeconds(10));
        if (context.get().runtime().remove(id)) {
          out.add("removed container " + id.value());
        }
      }
    }
    return out;
  }

  private ContainerId container(Slot slot) {
    return new ContainerId(request.key().id() + "-" + slot.id());
  }
}
