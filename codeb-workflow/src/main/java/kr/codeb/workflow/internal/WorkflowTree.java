package kr.codeb.workflow.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kr.codeb.workflow.WorkflowSpec;

/**
 * The workflow of a {@link WorkflowSpec} as a tree for {@link YamlWriter}. Shell lines read every
 * value from an environment variable in double quotes, never from a {@code ${{ }}} expression
 * inside the script, so no value can change what a line runs; expressions appear only in
 * {@code env:} and {@code if:}.
 */
public final class WorkflowTree {
  /** The deploy step's JSON result, which the summary step reads. */
  static final String RESULT = "$RUNNER_TEMP/codeb-deploy.json";

  private WorkflowTree() {}

  public static Map<String, Object> of(WorkflowSpec spec) {
    String project = spec.project().value();
    String env = spec.environment().name();
    Map<String, Object> root = map();
    root.put("name", "deploy " + project + " (" + env + ")");
    Map<String, Object> on = map();
    on.put("push", map("branches", List.of(spec.branch())));
    on.put("workflow_dispatch", map());
    root.put("on", on);
    // Least privilege: nothing for the workflow, each job names what it needs.
    root.put("permissions", map());
    // One run per project and environment at a time; a newer push waits rather than cancel a
    // deploy half-way.
    root.put("concurrency", map("group", "codeb-deploy-" + project + "-" + env,
        "cancel-in-progress", false));
    // bash with pipefail (GitHub's default shell has no pipefail).
    root.put("defaults", map("run", map("shell", "bash")));
    root.put("jobs", map("build", build(spec), "deploy", deploy(spec)));
    return root;
  }

  private static Map<String, Object> build(WorkflowSpec spec) {
    Map<String, Object> job = map();
    job.put("name", "build and push the image");
    job.put("runs-on", "ubuntu-latest");
    job.put("timeout-minutes", 30);
    job.put("permissions", map("contents", "read", "packages", "write"));
    job.put("outputs", map("image", "${{ steps.push.outputs.image }}"));
    Map<String, Object> env = map();
    spec.registry().ifPresent(r -> env.put("IMAGE", r + "/" + spec.project().value()));
    env.put("REGISTRY_HOST", spec.registryHost());
    env.put("DOCKERFILE", spec.dockerfile());
    env.put("BUILD_CONTEXT", spec.context());
    job.put("env", env);
    List<Object> steps = new ArrayList<>();
    steps.add(map("name", "Check out the commit", "uses", "actions/checkout@v4",
        "with", map("persist-credentials", false)));
    if (spec.registry().isEmpty()) {
      // ghcr.io wants lowercase names; the owner's name may have capitals.
      steps.add(map("name", "Name the image",
          "run", "echo \"IMAGE=ghcr.io/${GITHUB_REPOSITORY_OWNER,,}/" + spec.project().value()
              + "\" >> \"$GITHUB_ENV\"\n"));
    }
    steps.add(map("name", "Log in to the registry", "env", loginEnv(spec),
        "run", "printf '%s' \"$REGISTRY_PASSWORD\""
            + " | docker login \"$REGISTRY_HOST\" --username \"$REGISTRY_USER\" --password-stdin\n"));
    steps.add(map("name", "Build the image, tagged with the commit",
        "run", "docker build --file \"$DOCKERFILE\" --tag \"$IMAGE:$GITHUB_SHA\" \\\n"
            + "  --label \"org.opencontainers.image.revision=$GITHUB_SHA\" \"$BUILD_CONTEXT\"\n"));
    steps.add(map("name", "Push the image and take its digest", "id", "push",
        "run", "docker push \"$IMAGE:$GITHUB_SHA\"\n"
            + "digest=\"$(docker image inspect --format '{{range .RepoDigests}}{{println .}}{{end}}'"
            + " \"$IMAGE:$GITHUB_SHA\" \\\n"
            + "  | grep -m 1 -F \"$IMAGE@sha256:\")\"\n"
            + "echo \"image=$digest\" >> \"$GITHUB_OUTPUT\"\n"));
    steps.add(map("name", "Log out of the registry", "if", "${{ always() }}",
        "run", "docker logout \"$REGISTRY_HOST\"\n"));
    job.put("steps", steps);
    return job;
  }

  private static Map<String, Object> deploy(WorkflowSpec spec) {
    Map<String, Object> job = map();
    job.put("name", "deploy to " + spec.environment().name() + " on the app server");
    job.put("needs", "build");
    job.put("runs-on", spec.runnerLabels());
    job.put("timeout-minutes", 30);
    job.put("permissions", map("packages", "read"));
    Map<String, Object> env = map();
    env.put("PROJECT", spec.project().value());
    env.put("ENVIRONMENT", spec.environment().name());
    env.put("IMAGE", "${{ needs.build.outputs.image }}");
    env.put("REGISTRY_HOST", spec.registryHost());
    env.put("HEALTH_PATH", spec.healthPath());
    env.put("CODEB_ACTOR", "github-actions:${{ github.actor }}");
    job.put("env", env);
    List<Object> steps = new ArrayList<>();
    steps.add(map("name", "Pull the image onto this server", "env", loginEnv(spec),
        "run", """
            if docker image inspect "$IMAGE" > /dev/null 2>&1; then
              echo "$IMAGE is on this server already"
              exit 0
            fi
            # A login for this job only, never kept in the runner user's Docker config.
            export DOCKER_CONFIG="$RUNNER_TEMP/codeb-docker-config"
            trap 'rm -rf "$DOCKER_CONFIG"' EXIT
            printf '%s' "$REGISTRY_PASSWORD" \\
              | docker login "$REGISTRY_HOST" --username "$REGISTRY_USER" --password-stdin
            docker pull "$IMAGE"
            """));
    // we reads the ports from the SSOT and the engines from the runner's environment
    // (CODEB_CONFIG or CODEB_SSOT, CODEB_RUNTIME, CODEB_PROXY); its exit code is the gate.
    steps.add(map("name", "Deploy with a health gate (a failed gate leaves traffic where it was)",
        "run", "status=0\n"
            + "we deploy \"$PROJECT\" --env \"$ENVIRONMENT\" --image \"$IMAGE\""
            + " --health-path \"$HEALTH_PATH\" \\\n"
            + "  --json > \"" + RESULT + "\" || status=$?\n"
            + "cat \"" + RESULT + "\"\n"
            + "exit \"$status\"\n"));
    steps.add(map("name", "Write the job summary", "if", "${{ !cancelled() }}",
        "run", "we workflow summary \"$PROJECT\" --env \"$ENVIRONMENT\" --result \"" + RESULT
            + "\" >> \"$GITHUB_STEP_SUMMARY\"\n"));
    job.put("steps", steps);
    return job;
  }

  private static Map<String, Object> loginEnv(WorkflowSpec spec) {
    return map("REGISTRY_USER", spec.registryUser().orElse("${{ github.actor }}"),
        "REGISTRY_PASSWORD", "${{ secrets." + spec.registrySecret() + " }}");
  }

  private static Map<String, Object> map(Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }
}
