package kr.codeb.mcp.internal;

import java.util.List;
import kr.codeb.cli.internal.DeployWork;
import kr.codeb.proxy.Route;

/** {@code routes}: {@code we routes}. */
final class RoutesTool extends CodeBTool {
  @Override
  String name() {
    return "routes";
  }

  @Override
  String title() {
    return "List the reverse proxy's CodeB routes";
  }

  @Override
  String description() {
    return "List the routes CodeB manages on the reverse proxy: id, host names, upstream."
        + " Needs the reverse proxy only.";
  }

  @Override
  Effect effect() {
    return Effect.READ_ONLY;
  }

  @Override
  Schema input() {
    return Schema.input();
  }

  @Override
  Schema output() {
    return Schema.output().out("routes", "Each route: {id, hosts, upstream}.", "array");
  }

  @Override
  Result call(Params params, ToolCall call) {
    List<Route> routes;
    try (DeployWork work = call.services().openRoutes()) {
      routes = work.proxy().routes();
    }
    return new Result(call.json().routes(routes), routes.size() + " route(s)"
        + (routes.isEmpty() ? "" : ": " + routes.stream().map(Route::id).toList()));
  }
}
