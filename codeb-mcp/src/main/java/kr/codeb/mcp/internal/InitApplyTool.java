package kr.codeb.mcp.internal;

import kr.codeb.cli.internal.CliServices;
import kr.codeb.init.InitProgress;
import kr.codeb.init.InitRequest;
import kr.codeb.init.InitResult;

/** {@code init_apply}: {@code we init}. */
final class InitApplyTool extends CodeBTool {
  @Override
  String name() {
    return "init_apply";
  }

  @Override
  String title() {
    return "Set up a new project";
  }

  @Override
  String description() {
    return "Runs `we init`: applies every step of init_plan that is missing, in order, and"
        + " records each in the project's journal. Idempotent: a failed step is resumed by the"
        + " same call, a call after a complete one changes nothing. What differs is left alone"
        + " and reported. Creates databases, DNS records, a proxy route and firewall rules:"
        + " needs confirm=true.";
  }

  @Override
  Effect effect() {
    return Effect.DESTRUCTIVE;
  }

  @Override
  boolean idempotent() {
    return true;
  }

  @Override
  Schema input() {
    return InitFields.input(Schema.input()).confirm("set up the project on the fleet");
  }

  @Override
  Schema output() {
    return InitFields.output(false);
  }

  @Override
  Result call(Params params, ToolCall call) {
    InitRequest request = InitFields.request(params);
    InitResult result;
    long start = System.nanoTime();
    try (CliServices.InitWork work = InitFields.open(params, call, request)) {
      result = work.plan().apply(InitProgress.SILENT);
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    return new Result(call.json().initResult(request, result, millis), request.key() + ": "
        + (!result.differs().isEmpty() ? result.differs().size() + " step(s) differ, left"
            + " alone" : result.changed() ? "done" : "nothing to do"));
  }
}
