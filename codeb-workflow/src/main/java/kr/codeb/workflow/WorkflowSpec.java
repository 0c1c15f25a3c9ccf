package kr.codeb.workflow;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import kr.codeb.Checks;
import kr.codeb.InvalidRequestException;
import kr.codeb.model.Environment;
import kr.codeb.model.ProjectName;

/**
 * What a generated workflow deploys, and how. Every value is checked here, so a spec that exists
 * can be written into a workflow file as it is: no value can break the YAML or the shell lines
 * that read it (they read every value from an environment variable, in double quotes).
 *
 * @param project the project, a DNS label
 * @param environment the environment, as the SSOT's {@code portRanges} name it
 * @param branch the branch whose pushes deploy ({@code main})
 * @param registry where the image is pushed, {@code host[:port][/path]} in lowercase
 *     ({@code ghcr.io/acme}); empty means {@code ghcr.io/<repository owner>}, lowercased when
 *     the workflow runs
 * @param registryUser the user name for the registry login; empty means the user who started
 *     the run ({@code github.actor})
 * @param registrySecret the name of the repository secret that holds the registry password;
 *     {@code GITHUB_TOKEN} (the default, which GitHub provides) logs in to {@code ghcr.io} only
 * @param dockerfile the Dockerfile, relative to the repository root
 * @param context the build context folder, relative to the repository root
 * @param healthPath the path the health gate probes, starting with {@code /}
 * @param runnerLabels the labels of the app server's self-hosted runner; {@code self-hosted}
 *     first (added when missing)
 */
public record WorkflowSpec(
    ProjectName project,
    Environment environment,
    String branch,
    Optional<String> registry,
    Optional<String> registryUser,
    String registrySecret,
    String dockerfile,
    String context,
    String healthPath,
    List<String> runnerLabels) {

  /** The secret GitHub gives every run; it logs in to ghcr.io only. */
  public static final String GITHUB_TOKEN = "GITHUB_TOKEN";
  public static final String DEFAULT_BRANCH = "main";
  public static final String DEFAULT_DOCKERFILE = "Dockerfile";
  public static final String DEFAULT_CONTEXT = ".";
  public static final String DEFAULT_HEALTH_PATH = "/health";
  public static final String SELF_HOSTED = "self-hosted";

  private static final Pattern BRANCH = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]{0,199}");
  private static final Pattern REGISTRY = Pattern.compile(
      "[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?(:[0-9]{1,5})?(/[a-z0-9]+([._-][a-z0-9]+)*){0,8}");
  private static final Pattern USER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,99}");
  private static final Pattern SECRET = Pattern.compile("[A-Z_][A-Z0-9_]{0,99}");
  private static final Pattern RELATIVE_PATH = Pattern.compile("[A-Za-z0-9._][A-Za-z0-9._/-]{0,254}");
  private static final Pattern HEALTH_PATH = Pattern.compile("/[A-Za-z0-9._~/%=&?-]{0,254}");
  private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

  public WorkflowSpec {
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(environment, "environment");
    branch = check("branch", branch, BRANCH, "letters, digits and . _ / -, starting with a letter"
        + " or digit (e.g. main, release/2.x)");
    if (branch.contains("..") || branch.endsWith("/") || branch.endsWith(".lock")) {
      throw new InvalidRequestException("invalid branch " + Checks.quote(branch)
          + ": git refuses '..', a trailing '/' and a trailing '.lock' in branch names");
    }
    Objects.requireNonNull(registry, "registry");
    registry.ifPresent(r -> check("registry", r, REGISTRY, "host[:port][/path] in lowercase,"
        + " e.g. ghcr.io/acme or registry.example.com:5000/team"));
    Objects.requireNonNull(registryUser, "registryUser");
    registryUser.ifPresent(u -> check("registry user", u, USER,
        "letters, digits and . _ @ -, at most 100"));
    registrySecret = check("registry secret name", registrySecret, SECRET,
        "uppercase letters, digits and _, not starting with a digit (e.g. REGISTRY_PASSWORD)");
    if (registrySecret.startsWith("GITHUB_") && !registrySecret.equals(GITHUB_TOKEN)) {
      throw new InvalidRequestException("invalid registry secret name "
          + Checks.quote(registrySecret) + ": GitHub reserves names starting with GITHUB_"
          + " (only GITHUB_TOKEN, which it provides, may be used)");
    }
    if (registrySecret.equals(GITHUB_TOKEN) && !registryHost(registry).equals("ghcr.io")) {
      throw new InvalidRequestException("GITHUB_TOKEN logs in to ghcr.io only, not to "
          + registryHost(registry) + ": name the secret that holds the registry's password"
          + " with --registry-secret (e.g. REGISTRY_PASSWORD)");
    }
    dockerfile = relativePath("Dockerfile", dockerfile);
    context = relativePath("build context", context);
    healthPath = check("health path", healthPath, HEALTH_PATH,
        "a path starting with '/' of letters, digits and . _ ~ / % = & ? -");
    Objects.requireNonNull(runnerLabels, "runnerLabels");
    List<String> labels = new ArrayList<>(List.of(SELF_HOSTED));
    for (String label : runnerLabels) {
      check("runner label", label, LABEL, "letters, digits and . _ -, at most 100");
      if (!labels.contains(label)) {
        labels.add(label);
      }
    }
    runnerLabels = List.copyOf(labels);
  }

  /** A spec with every default: see the component descriptions. */
  public static WorkflowSpec of(ProjectName project, Environment environment,
      List<String> runnerLabels) {
    return new WorkflowSpec(project, environment, DEFAULT_BRANCH, Optional.empty(),
        Optional.empty(), GITHUB_TOKEN, DEFAULT_DOCKERFILE, DEFAULT_CONTEXT, DEFAULT_HEALTH_PATH,
        runnerLabels);
  }

  /** The registry's host (and port): what {@code docker login} is given. */
  public String registryHost() {
    return registryHost(registry);
  }

  private static String registryHost(Optional<String> registry) {
    return registry.map(r -> r.contains("/") ? r.substring(0, r.indexOf('/')) : r)
        .orElse("ghcr.io");
  }

  /** Where the workflow is written by default: {@code .github/workflows/<project>-<env>.yml}. */
  public String defaultPath() {
    return ".github/workflows/" + project.value() + "-" + environment.name() + ".yml";
  }

  /**
   * The spec as ordered {@code key -> value} pairs (labels joined by commas), as the generated
   * file's header records them; {@link #fromParameters} reads them back.
   */
  public Map<String, String> parameters() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("project", project.value());
    p.put("env", environment.name());
    p.put("branch", branch);
    registry.ifPresent(r -> p.put("registry", r));
    registryUser.ifPresent(u -> p.put("registry-user", u));
    p.put("registry-secret", registrySecret);
    p.put("dockerfile", dockerfile);
    p.put("context", context);
    p.put("health-path", healthPath);
    p.put("runner-labels", String.join(",", runnerLabels));
    return p;
  }

  /** The spec {@link #parameters} describe; an unknown or missing key is bad input. */
  public static WorkflowSpec fromParameters(Map<String, String> parameters) {
    List<String> known = List.of("project", "env", "branch", "registry", "registry-user",
        "registry-secret", "dockerfile", "context", "health-path", "runner-labels");
    for (String key : parameters.keySet()) {
      if (!known.contains(key)) {
        throw new InvalidRequestException("unknown workflow parameter " + Checks.quote(key)
            + ": known are " + String.join(", ", known));
      }
    }
    for (String required : List.of("project", "env", "runner-labels")) {
      if (!parameters.containsKey(required)) {
        throw new InvalidRequestException("workflow parameter '" + required + "' is missing");
      }
    }
    return new WorkflowSpec(new ProjectName(parameters.get("project")),
        new Environment(parameters.get("env")),
        parameters.getOrDefault("branch", DEFAULT_BRANCH),
        Optional.ofNullable(parameters.get("registry")),
        Optional.ofNullable(parameters.get("registry-user")),
        parameters.getOrDefault("registry-secret", GITHUB_TOKEN),
        parameters.getOrDefault("dockerfile", DEFAULT_DOCKERFILE),
        parameters.getOrDefault("context", DEFAULT_CONTEXT),
        parameters.getOrDefault("health-path", DEFAULT_HEALTH_PATH),
        List.of(parameters.get("runner-labels").split(",", -1)));
  }

  private static String check(String what, String value, Pattern allowed, String rule) {
    if (value == null || !allowed.matcher(value).matches()) {
      throw new InvalidRequestException("invalid " + what + " " + Checks.quote(value) + ": use "
          + rule);
    }
    return value;
  }

  private static String relativePath(String what, String value) {
    check(what, value, RELATIVE_PATH, "a path relative to the repository root of letters,"
        + " digits and . _ / - (e.g. Dockerfile, docker/web.Dockerfile)");
    for (String part : value.split("/", -1)) {
      if (part.equals("..") || part.isEmpty() && !value.isEmpty()) {
        throw new InvalidRequestException("invalid " + what + " " + Checks.quote(value)
            + ": it must stay inside the repository (no '..', no empty part such as '//')");
      }
    }
    return value;
  }
}
