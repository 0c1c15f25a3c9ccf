package kr.codeb.mcp.internal;

import java.util.List;
import kr.codeb.cli.internal.CliServices;
import kr.codeb.init.InitRequest;
import kr.codeb.init.StepPlan;

/** {@code init_plan}: {@code we init --plan}. */
final class InitPlanTool extends CodeBTool {
  @Override
  String name() {
    return "init_plan";
  }

  @Override
  String title() {
    return "Plan a new project's setup";
  }

  @Override
  String description() {
    return "What `we init` would do for a project, step by step (ports, databases, env,"
        + " firewall, dns, site, workflow, tls, and deploy with an image), each read from the"
        + " real systems now: create, update, unchanged, or differs (with the reason). Writes"
        + " nothing. Needs the config's servers (or the proxy, DNS and, for databases, the"
        + " storage server).";
  }

  @Override
  Effect effect() {
    return Effect.READ_ONLY;
  }

  @Override
  Schema input() {
    return InitFields.input(Schema.input());
  }

  @Override
  Schema output() {
    return InitFields.output(true);
  }

  @Override
  Result call(Params params, ToolCall call) {
    InitRequest request = InitFields.request(params);
    List<StepPlan> plans;
    try (CliServices.InitWork work = InitFields.open(params, call, request)) {
      plans = work.plan().plan();
    }
    long changes = plans.stream().filter(StepPlan::changes).count();
    return new Result(call.json().initPlan(request, plans), request.key() + ": "
        + (changes == 0 ? "nothing to do" : changes + " step(s) to apply, nothing written"));
  }
}
