package kr.codeb.cli.internal;

import java.util.List;
import java.util.concurrent.Callable;
import kr.codeb.proxy.Route;
import picocli.CommandLine.Command;

/** {@code we routes}: the routes CodeB manages on the reverse proxy. */
@Command(
    name = "routes", header = "List the reverse proxy's CodeB routes.",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {"List the reverse proxy's CodeB routes: id, host names, upstream."})
final class RoutesCommand implements Callable<Integer> {
  private final Session session;

  RoutesCommand(Session session) {
    this.session = session;
  }

  @Override
  public Integer call() {
    List<Route> routes;
    try (DeployProviders providers = DeployProviders.forRoutes(session)) {
      routes = providers.proxy().routes();
    }
    if (session.json()) {
      session.printJson(new DeployJson(session.jsonOutput()).routes(routes));
      return 0;
    }
    if (routes.isEmpty()) {
      session.out().println("no routes");
      return 0;
    }
    Table t = new Table("ROUTE", "UPSTREAM", "HOSTS");
    routes.forEach(r -> t.row(r.id(), String.join(",", r.upstreams().stream()
            .map(u -> u.dial()).toList()),
        r.hosts().isEmpty() ? "(none)" : String.join(", ", r.hosts())));
    t.print(session.out(), "");
    return 0;
  }
}
