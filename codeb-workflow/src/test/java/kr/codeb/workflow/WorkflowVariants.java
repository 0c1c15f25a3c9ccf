package kr.codeb.workflow;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kr.codeb.model.Environment;
import kr.codeb.model.ProjectName;

/** Every kind of workflow the generator writes, by name: each option on and off. */
final class WorkflowVariants {
  private WorkflowVariants() {}

  static final ProjectName ACME = ProjectName.of("acme");
  static final Environment PRODUCTION = Environment.of("production");

  static Map<String, WorkflowSpec> all() {
    Map<String, WorkflowSpec> v = new LinkedHashMap<>();
    v.put("defaults", WorkflowSpec.of(ACME, PRODUCTION, List.of("app1")));
    v.put("built-in-labels-only", WorkflowSpec.of(ACME, PRODUCTION, List.of("linux", "x64")));
    v.put("ghcr-org", new WorkflowSpec(ACME, Environment.of("staging"), "develop",
        Optional.of("ghcr.io/acme-corp"), Optional.empty(), WorkflowSpec.GITHUB_TOKEN,
        "docker/web.Dockerfile", "web", "/healthz", List.of("app1", "linux")));
    v.put("other-registry-named-secret", new WorkflowSpec(ProjectName.of("w-homepage-react"),
        PRODUCTION, "release/2.x", Optional.of("registry.example.com:5000/team"),
        Optional.of("deployer"), "REGISTRY_PASSWORD", "Dockerfile", ".", "/api/health?deep=1",
        List.of("self-hosted", "app-2", "codeb")));
    return v;
  }
}
