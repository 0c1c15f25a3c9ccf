package kr.codeb.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import kr.codeb.InvalidRequestException;
import kr.codeb.deploy.DeployKey;
import kr.codeb.deploy.ProcessSpec;
import kr.codeb.model.Environment;
import kr.codeb.model.ProjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The config file's {@code projects:}: each project's processes, per environment too. */
class ProjectProcessesConfigTest {
  @TempDir Path dir;

  private Path yaml(String... lines) throws IOException {
    return Files.writeString(dir.resolve("we.yaml"), String.join("\n", lines) + "\n");
  }

  private static DeployKey key(String project, String env) {
    return new DeployKey(ProjectName.of(project), Environment.of(env));
  }

  @Test
  void processesAreReadPerProjectAndOverriddenPerEnvironment() throws IOException {
    CliConfig c = ConfigLoader.load(yaml(
        "projects:",
        "  shop:",
        "    processes:",
        "      web: { command: [bin/web, --port, '8080'] }",
        "      worker: { command: [bin/worker], count: 3, health: [bin/worker, --ready] }",
        "      scheduler: { command: 'bin/cron --tick 60' }",
        "    environments:",
        "      staging:",
        "        processes: { worker: { command: [bin/worker] } }"));
    List<ProcessSpec> prod = c.processes().of(key("shop", "production"));
    assertEquals(List.of(
        new ProcessSpec("web", List.of("bin/web", "--port", "8080"), 1, List.of()),
        new ProcessSpec("worker", List.of("bin/worker"), 3, List.of("bin/worker", "--ready")),
        new ProcessSpec("scheduler", List.of("sh", "-c", "bin/cron --tick 60"), 1, List.of())),
        prod);
    assertEquals(List.of(ProcessSpec.of("worker", 1, List.of("bin/worker"))),
        c.processes().of(key("shop", "staging")));
    assertEquals(List.of(), c.processes().of(key("blog", "production")));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "projects: { shop: { procs: {} } }|projects.shop.procs: unknown key",
      "projects: { shop: { processes: { worker: { command: [] } } } }"
          + "|projects.shop.processes.worker.command: must be a list",
      "projects: { shop: { processes: { worker: { command: [w], count: two } } } }"
          + "|projects.shop.processes.worker.count: must be a whole number from 1 to 20",
      "projects: { shop: { processes: { web: { command: [w], count: 2 } } } }"
          + "|projects.shop.processes.web: process web runs one container per server",
      "projects: { shop: { processes: { Worker: { command: [w] } } } }"
          + "|projects.shop.processes.Worker: invalid process name",
      "projects: { shop: { processes: { worker: { command: [w], user: root } } } }"
          + "|projects.shop.processes.worker.user: unknown key",
      "projects: { shop: { environments: { staging: { count: 1 } } } }"
          + "|projects.shop.environments.staging.count: unknown key",
      "projects: [shop]|projects: must be a mapping"})
  void badDeclarationsNameTheKey(String content, String problem) throws IOException {
    Path file = yaml(content);
    InvalidRequestException e =
        assertThrows(InvalidRequestException.class, () -> ConfigLoader.load(file));
    assertTrue(e.getMessage().contains(problem), e.getMessage());
  }
}
