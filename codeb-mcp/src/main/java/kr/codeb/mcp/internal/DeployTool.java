package kr.codeb.mcp.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import kr.codeb.CodeBException;
import kr.codeb.InvalidRequestException;
import kr.codeb.cli.internal.CliServices;
import kr.codeb.cli.internal.DeployWork;
import kr.codeb.deploy.DeployHooks;
import kr.codeb.deploy.DeployKey;
import kr.codeb.deploy.DeployRequest;
import kr.codeb.deploy.DeployResult;
import kr.codeb.deploy.HealthCheck;
import kr.codeb.deploy.ReleaseRecord;
import kr.codeb.deploy.SlotReport;
import kr.codeb.deploy.SlotState;
import kr.codeb.model.Slot;
import kr.codeb.runtime.ContainerInfo;

/**
 * {@code deploy}: {@code we deploy}, with progress notifications and cancellation (see
 * {@link DeployProgressRelay}) and the same deploy hooks (the config file's and the local hook
 * scripts; the command line's hook options have no parameters here). A failed deploy is a
 * result with {@code succeeded: false}, its reason and the container's (or failed hook's) last
 * log lines, not a tool error.
 */
final class DeployTool extends CodeBTool {
  private static final String ENV_ALLOWED = "KEY=VALUE strings (KEY: letters, digits and _,"
      + " not starting with a digit)";

  @Override
  String name() {
    return "deploy";
  }

  @Override
  String title() {
    return "Deploy an image blue-green";
  }

  @Override
  String description() {
    return "Run an image in the project's idle slot (blue or green), wait until it answers its"
        + " health path, then switch the project's route to it; the old slot drains and stays"
        + " for rollback. A failed health gate leaves traffic where it was and returns"
        + " succeeded=false with the reason and the container's last log lines. Sends progress"
        + " notifications; a cancellation before the switch starts leaves traffic untouched."
        + " Runs the deploy hooks of the config file (projects.<name>.hooks or"
        + " projects.<name>.environments.<env>.hooks) and the local hook scripts as `we deploy`"
        + " does: a failing pre-deploy hook returns succeeded=false with its output's tail in"
        + " logTail, before traffic moves; env values are masked in all hook output."
        + " Needs the SSOT store, a container runtime (docker:// or podman://) and the reverse"
        + " proxy (caddy+http://...).";
  }

  @Override
  Effect effect() {
    return Effect.CHANGES;
  }

  @Override
  Schema input() {
    return Fields.projectEnvironment(Schema.input())
        .string("image", "The image reference, e.g. ghcr.io/acme/web:1.4.2.", true)
        .integer("containerPort", "The port the app listens on inside the container (default "
            + DeployRequest.DEFAULT_CONTAINER_PORT + ").", false, 1, 65535)
        .string("healthPath", "The path the health gate GETs (default "
            + HealthCheck.DEFAULT_PATH + ").", false)
        .integer("healthTimeoutSeconds", "How long the new slot may take to become healthy"
            + " (default 60).", false, 1, 3600)
        .integer("healthIntervalMillis", "Time between health probes (default 100).", false, 10,
            60_000)
        .string("envFile", "A file of KEY=VALUE lines for the container's environment, on the"
            + " server's machine (relative paths are from the folder `we mcp` started in);"
            + " readable by its owner only. Without it, the project's env file on its app server"
            + " (env_set) is used when there is one.", false)
        .bool("allowInsecureEnvFile", "Use an envFile that its group or other users may read"
            + " (default false).", false)
        .strings("env", "Container environment variables as " + ENV_ALLOWED + "; they win over"
            + " envFile. Values are never returned or logged.", false)
        .strings("hosts", "Host names to add to the project's route, e.g. app.example.com.",
            false)
        .bool("noSwitch", "Deploy and gate the idle slot but leave traffic where it is"
            + " (staged; promote later). Default false.", false)
        .integer("drainSeconds", "How long the old slot keeps serving after the switch"
            + " (default 2).", false, 0, 3600)
        .integer("lockWaitSeconds", "How long to wait for another deploy of the project"
            + " (default 0: fail at once).", false, 0, 3600)
        .integer("keepImages", "How many releases' images to keep for rollback (default "
            + DeployRequest.DEFAULT_KEEP_IMAGES + ").", false, 1, 100);
  }

  @Override
  Schema output() {
    return Fields.keyOut(Schema.output())
        .out("succeeded", "Whether the new release is running and, unless noSwitch, live.",
            "boolean")
        .out("cancelled", "Whether the client cancelled the deploy before traffic moved.",
            "boolean")
        .out("outcome", "deployed, staged, failed, switch-unknown or cancelled.", "string")
        .out("release", "The new release's id (null if cancelled before it was recorded).",
            "string", "null")
        .out("image", "The image deployed.", "string")
        .out("slot", "The slot the new release went to (null if cancelled early).", "string",
            "null")
        .out("port", "The new slot's host port (null if cancelled early).", "integer", "null")
        .out("live", "The slot that takes traffic now (null: none).", "string", "null")
        .out("reason", "Why it failed or was cancelled (null on success).", "string", "null")
        .out("logTail", "The new container's last log lines when the gate failed, or the"
            + " failed hook's last output lines.", "string", "null")
        .out("elapsedMs", "How long the deploy took.", "integer")
        .optionalOut("server", "The config's server the release runs on, when the config names"
            + " servers.", "string");
  }

  @Override
  Result call(Params params, ToolCall call) {
    DeployKey key = Fields.key(params);
    DeployRequest request = request(key, params, call);
    DeployHooks hooks = call.services().hooks(key);
    DeployProgressRelay progress = new DeployProgressRelay(call);
    long start = System.nanoTime();
    try (DeployWork work = call.services().openDeploy(key)) {
      DeployResult result;
      try {
        result = work.deployments().deploy(request, hooks, progress);
      } catch (DeployCancelled c) {
        return cancelled(key, request, work, c, Duration.ofNanos(System.nanoTime() - start),
            call);
      }
      ObjectNode json = call.json().deploy(result);
      work.runtimeServer().ifPresent(name -> json.put("server", name));
      json.put("succeeded", result.succeeded());
      json.put("cancelled", false);
      String text = key + ": " + result.outcome().id() + " " + result.image() + " as release "
          + result.release() + " in " + result.slot() + " (port " + result.port() + "); live: "
          + result.liveSlot().map(Slot::id).orElse("none")
          + result.reason().map(r -> "; " + r).orElse("")
          + (call.cancelled() && progress.switching()
              ? "; the cancellation came after traffic had started to move, so the deploy was"
                  + " completed" : "");
      return new Result(json, text);
    }
  }

  /** The request, fully checked, with the same rules as {@code we deploy}. */
  private static DeployRequest request(DeployKey key, Params p, ToolCall call) {
    String image = p.string("image", "an image reference such as ghcr.io/acme/web:1.4.2");
    String path = p.optionalString("healthPath", "a path such as /health")
        .orElse(HealthCheck.DEFAULT_PATH);
    HealthCheck health = Params.checked("healthPath", path, HealthCheck::http)
        .withDeadline(Duration.ofSeconds(p.integer("healthTimeoutSeconds", 60, 1, 3600)))
        .withInterval(Duration.ofMillis(p.integer("healthIntervalMillis", 100, 10, 60_000)));
    Optional<Path> envFile = p.optionalString("envFile", "a file path").map(Path::of);
    List<String> pairs = p.strings("env", ENV_ALLOWED);
    CliServices.AppEnvironment env;
    try {
      env = call.services().environment(key, envFile, p.bool("allowInsecureEnvFile", false),
          pairs);
    } catch (InvalidRequestException e) {
      String m = e.getMessage();
      throw new ToolInputException(m.startsWith("env file") ? "envFile" : "env", m);
    }
    call.secrets(env.values().values());
    return DeployRequest.builder(key, image)
          .containerPort((int) p.integer("containerPort", DeployRequest.DEFAULT_CONTAINER_PORT,
              1, 65535))
          .health(health)
          .env(env.values(), env.source())
          .hosts(p.strings("hosts", "host names such as app.example.com"))
          .noSwitch(p.bool("noSwitch", false))
          .drain(Duration.ofSeconds(p.integer("drainSeconds", 2, 0, 3600)))
          .lockWait(Duration.ofSeconds(p.integer("lockWaitSeconds", 0, 0, 3600)))
          .keepImages((int) p.integer("keepImages", DeployRequest.DEFAULT_KEEP_IMAGES, 1, 100))
          .actor(call.services().actor())
          .processes(call.services().processes(key))
          .build();
  }

  /**
   * The result of a deploy the client cancelled before traffic moved: the new container, if
   * one was started, is stopped (as after a failed gate), and traffic is reported as it is.
   */
  private static Result cancelled(DeployKey key, DeployRequest request,
      DeployWork work, DeployCancelled c, Duration elapsed, ToolCall call) {
    Optional<Slot> live = Optional.empty();
    String note = "";
    try {
      SlotReport report = work.deployments().status(key);
      live = report.live();
      if (c.containerStarted) {
        note = stopUnrecorded(report, work);
      }
    } catch (CodeBException e) {
      note = "; the slots could not be read afterwards (" + e.getMessage() + ")";
    }
    String reason = "cancelled by the client before traffic was switched; traffic stays on "
        + live.map(Slot::id).orElse("nothing") + note;
    ObjectNode json = call.json().key(key);
    json.put("succeeded", false);
    json.put("cancelled", true);
    json.put("outcome", "cancelled");
    json.putNull("release");
    json.put("image", request.image());
    json.putNull("slot");
    json.putNull("port");
    if (live.isPresent()) {
      json.put("live", live.get().id());
    } else {
      json.putNull("live");
    }
    json.put("reason", reason);
    json.putNull("logTail");
    json.put("elapsedMs", elapsed.toMillis());
    return new Result(json, key + ": deploy of " + request.image() + " " + reason);
  }

  /** Stops an idle slot's running container whose release the history does not know. */
  private static String stopUnrecorded(SlotReport report, DeployWork work) {
    Set<String> recorded = report.history().stream().map(ReleaseRecord::release)
        .collect(Collectors.toSet());
    String stopped = "";
    for (SlotState s : report.slots()) {
      // On every app server the project runs on: a deploy starts the release on all of them.
      for (kr.codeb.deploy.ServerSlot on : s.servers()) {
        Optional<ContainerInfo> c = on.container();
        if (!s.live() && c.isPresent() && c.get().isRunning()
            && on.release().map(r -> !recorded.contains(r)).orElse(true)) {
          kr.codeb.runtime.ContainerRuntime runtime = work.runtime(on.server());
          runtime.stop(c.get().id(), Duration.ofSeconds(1));
          for (ContainerInfo w : on.workers()) {
            if (w.isRunning()) {
              runtime.stop(w.id(), Duration.ofSeconds(1));
            }
          }
          stopped = "; the new container " + c.get().name()
              + (on.workers().isEmpty() ? " was stopped" : " and its workers were stopped")
              + (s.servers().size() > 1 ? " on every app server" : "");
        }
      }
    }
    return stopped;
  }
}
