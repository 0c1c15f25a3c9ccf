package kr.codeb.cli.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import kr.codeb.InvalidRequestException;
import kr.codeb.deploy.Actor;
import kr.codeb.deploy.DeployHooks;
import kr.codeb.deploy.DeployKey;
import kr.codeb.deploy.DeployRequest;
import kr.codeb.deploy.DeployResult;
import kr.codeb.deploy.EnvResolver;
import kr.codeb.deploy.HealthCheck;
import kr.codeb.deploy.ReleaseOutcome;
import kr.codeb.proxy.Route;
import kr.codeb.runtime.BootUnits;
import kr.codeb.runtime.ContainerInfo;
import kr.codeb.runtime.ContainerRuntime;
import kr.codeb.runtime.ContainerSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code we deploy PROJECT --env ENV --image IMAGE}: a blue-green deploy. Every argument is
 * checked before any provider is opened; bad input (exit 2) starts and switches nothing.
 */
@Command(
    name = "deploy", header = "Deploy IMAGE to the idle slot, gate on health, switch traffic.",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {"Run IMAGE in the project's idle slot, wait until it is healthy, then switch",
        "traffic to it. A failed health gate leaves traffic where it was (exit 1)."})
final class DeployCommand implements Callable<Integer> {
  private final Session session;

  @Mixin ProjectEnvOptions target;

  @Option(names = "--image", paramLabel = "IMAGE", required = true,
      description = "Image reference, e.g. ghcr.io/acme/web:1.4.2.")
  String image;

  @Option(names = "--port", paramLabel = "PORT",
      defaultValue = "" + DeployRequest.DEFAULT_CONTAINER_PORT,
      description = "The port the app listens on inside the container (default ${DEFAULT-VALUE}).")
  int containerPort;

  @Option(names = "--health-path", paramLabel = "PATH", defaultValue = HealthCheck.DEFAULT_PATH,
      description = "Path the health gate GETs (default ${DEFAULT-VALUE}).")
  String healthPath;

  @Option(names = "--health-timeout", paramLabel = "DURATION", defaultValue = "60s",
      converter = DurationConverter.class,
      description = "How long the slot may take to become healthy (default ${DEFAULT-VALUE}).")
  Duration healthTimeout;

  @Option(names = "--health-interval", paramLabel = "DURATION", defaultValue = "100ms",
      converter = DurationConverter.class,
      description = "Time between health probes (default ${DEFAULT-VALUE}).")
  Duration healthInterval;

  @Option(names = "--env-file", paramLabel = "FILE",
      description = {"KEY=VALUE lines for the container's environment (# comments allowed):"
          + " a regular UTF-8 file of at most 1 MiB, readable by its owner only. Without it,"
          + " the project's env file on its app server (`we env`) is used when there is one."})
  Path envFile;

  @Option(names = "--allow-insecure-env-file",
      description = "Use an --env-file that its group or other users may read.")
  boolean allowInsecureEnvFile;

  @Option(names = "-e", paramLabel = "KEY=VALUE",
      description = "A container environment variable; repeatable; wins over --env-file.")
  List<String> envVars = new ArrayList<>();

  @Option(names = "--host", paramLabel = "HOST",
      description = "A host name to add to the project's route; repeatable.")
  List<String> hosts = new ArrayList<>();

  @Option(names = "--no-switch",
      description = "Deploy and gate the idle slot, but leave traffic where it is (staged).")
  boolean noSwitch;

  @Option(names = "--drain", paramLabel = "DURATION", defaultValue = "2s",
      converter = DurationConverter.class,
      description = "How long the old slot keeps serving after the switch (default ${DEFAULT-VALUE}).")
  Duration drain;

  @Option(names = "--lock-wait", paramLabel = "DURATION", defaultValue = "0s",
      converter = DurationConverter.class,
      description = "How long to wait for another deploy of the project (default ${DEFAULT-VALUE}).")
  Duration lockWait;

  @Option(names = "--keep-images", paramLabel = "N",
      defaultValue = "" + DeployRequest.DEFAULT_KEEP_IMAGES,
      description = "How many releases' images to keep for rollback (default ${DEFAULT-VALUE}).")
  int keepImages;

  @Mixin HookOptions hookOptions;

  @Option(names = "--quadlet", paramLabel = "DIR",
      description = {"Podman only: after a deploy that leaves the new slot live, write its"
          + " Quadlet unit <container>.container (and <container>.env, mode 0600, for the"
          + " environment) into DIR, e.g. /etc/containers/systemd, so systemd recreates it at"
          + " boot. Needs Podman >= 4.4 with systemd to take effect (4.3 has no Quadlet)."})
  Path quadletDir;

  DeployCommand(Session session) {
    this.session = session;
  }

  @Override
  public Integer call() {
    DeployHooks hooks = hookOptions.hooks(session, target.key());
    DeployRequest request = request();
    request.envSource().projectFile().ifPresent(f -> session.progress("we: environment from the"
        + " project's env file " + f + " (" + request.env().size() + " keys"
        + (request.envSource().optionKeys().isEmpty() ? ""
            : "; -e " + String.join(", ", request.envSource().optionKeys())) + ")"));
    ProgressPrinter progress = new ProgressPrinter(session.err(), session.errIsTerminal());
    DeployResult result;
    Optional<Route> route;
    Optional<BootUnits.Written> unit = Optional.empty();
    Optional<String> server;
    List<String> servers;
    try (DeployProviders providers =
        DeployProviders.forDeploy(session, request.key())) {
      server = providers.runtimeServer().map(kr.codeb.fleet.Server::name);
      servers = providers.serverNames();
      if (quadletDir != null && servers.size() > 1) {
        throw new InvalidRequestException("--quadlet writes the unit of one app server, and "
            + request.key().project() + " runs on " + servers + "; nothing was deployed");
      }
      ContainerRuntime runtime = providers.context().servers().get(0).runtime();
      Optional<BootUnits> bootUnits = runtime.bootUnits();
      if (quadletDir != null && bootUnits.isEmpty()) {
        throw new InvalidRequestException("--quadlet writes Podman Quadlet units: it needs a"
            + " Podman runtime (podman:// or podman+unix:///path/podman.sock), not "
            + runtime.info().id());
      }
      if (quadletDir != null && java.nio.file.Files.exists(quadletDir)
          && (!java.nio.file.Files.isDirectory(quadletDir)
              || !java.nio.file.Files.isWritable(quadletDir))) {
        throw new InvalidRequestException("--quadlet " + quadletDir
            + " is not a writable folder; nothing was deployed");
      }
      try {
        result = providers.deployments().deploy(request, hooks, progress);
      } finally {
        progress.finish();
      }
      route = result.succeeded() ? routeIfReadable(providers, request) : Optional.empty();
      if (quadletDir != null && result.succeeded()
          && result.liveSlot().equals(Optional.of(result.slot()))) {
        unit = Optional.of(writeQuadlet(runtime, bootUnits.orElseThrow(), request, result));
      }
    }
    print(result, servers.size() > 1 ? Optional.of(String.join(", ", servers)) : server,
        servers);
    unit.ifPresent(w -> session.progress("we: wrote the Quadlet unit " + w.unit()
        + w.envFile().map(e -> " and its env file " + e).orElse("")));
    if (quadletDir != null && result.succeeded() && unit.isEmpty()) {
      session.progress("we: no Quadlet unit written: the new slot is not live (--no-switch)");
    }
    if (route.isPresent() && route.get().hosts().isEmpty()) {
      session.progress("we: the route " + route.get().id() + " has no host names yet: add one"
          + " with --host or `we domain add`");
    }
    return result.succeeded() ? 0 : 1;
  }

  /** The route, only to hint at missing hosts: a proxy that cannot be read now is no failure. */
  private static Optional<Route> routeIfReadable(DeployProviders providers,
      DeployRequest request) {
    try {
      return providers.proxy().route(request.key().id());
    } catch (kr.codeb.CodeBException e) {
      return Optional.empty();
    }
  }

  /**
   * The live slot's unit: name, image, labels and ports as the engine runs the container, the
   * environment from the request (into the env file only).
   */
  private BootUnits.Written writeQuadlet(ContainerRuntime runtime, BootUnits units,
      DeployRequest request, DeployResult result) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("codeb.project", request.key().project().value());
    labels.put("codeb.env", request.key().environment().name());
    labels.put("codeb.slot", result.slot().id());
    labels.put("codeb.release", result.release());
    labels.put("codeb.process", "web"); // the unit is web's; workers have none yet
    ContainerInfo live = runtime.list(labels).stream().filter(ContainerInfo::isRunning)
        .findFirst().orElseThrow(() -> new kr.codeb.NotFoundException("the live "
            + result.slot().id() + " container of " + request.key() + " is gone; no Quadlet"
            + " unit written"));
    Map<String, String> codebLabels = new LinkedHashMap<>();
    live.labels().entrySet().stream().filter(e -> e.getKey().startsWith("codeb."))
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> codebLabels.put(e.getKey(), e.getValue()));
    ContainerSpec spec = new ContainerSpec(live.name(), result.image(), codebLabels,
        request.env(), live.ports(), List.of());
    return units.write(spec, quadletDir);
  }

  /**
   * The request, fully checked before anything is opened; then the environment (see {@link
   * DeployEnvironment}), which may read the project's env file on its app server.
   */
  private DeployRequest request() {
    DeployKey key = target.key();
    HealthCheck health = HealthCheck.http(healthPath).withDeadline(healthTimeout)
        .withInterval(healthInterval);
    String actor = Optional.ofNullable(session.variable("CODEB_ACTOR")).orElseGet(Actor::current);
    DeployRequest.Builder builder = DeployRequest.builder(key, image).containerPort(containerPort)
        .health(health).hosts(hosts).noSwitch(noSwitch).drain(drain).lockWait(lockWait)
        .keepImages(keepImages).actor(actor).processes(session.config().processes().of(key));
    builder.build(); // every option checked before the project's env file is read
    EnvResolver.Resolved env = DeployEnvironment.forDeploy(session, key,
        envFile == null ? null : session.path(envFile), allowInsecureEnvFile, envVars);
    return builder.env(env.values(), env.source()).build();
  }

  private void print(DeployResult r, Optional<String> server, List<String> servers) {
    if (session.json()) {
      var json = new DeployJson(session.jsonOutput()).deploy(r);
      if (servers.size() > 1) {
        var array = json.putArray("servers");
        servers.forEach(array::add);
      } else {
        server.ifPresent(name -> json.put("server", name));
      }
      session.printJson(json);
    } else {
      String live = r.liveSlot().map(s -> s.id()).orElse("none");
      session.out().println(r.key() + ": " + r.outcome().id() + " " + r.image() + " as release "
          + r.release() + " in " + r.slot() + " (port " + r.port()
          + server.map(name -> " on " + name).orElse("") + "); live: " + live + " ("
          + DurationConverter.human(r.elapsed()) + ")");
    }
    if (r.outcome() == ReleaseOutcome.SWITCH_UNKNOWN && !session.json()) {
      session.progress("we: deploy not confirmed: " + r.reason().orElse(""));
    } else if (!r.succeeded() && !session.json()) {
      session.progress("we: deploy failed: " + r.reason().orElse("unhealthy") + "; traffic stays"
          + " on " + r.liveSlot().map(s -> s.id()).orElse("nothing"));
      String tail = r.logTail().orElse("").strip();
      if (!tail.isEmpty()) {
        session.progress("we: last log lines of the " + r.slot() + " container:");
        tail.lines().forEach(l -> session.progress("  | " + l));
      }
    }
  }
}
