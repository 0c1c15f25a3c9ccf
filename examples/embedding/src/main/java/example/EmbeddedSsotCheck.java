package example;

import java.util.List;
import java.util.Map;
import kr.codeb.ProviderRegistry;
import kr.codeb.model.Environment;
import kr.codeb.model.ProjectName;
import kr.codeb.model.Slot;
import kr.codeb.ports.Allocation;
import kr.codeb.ports.Finding;
import kr.codeb.ports.PortOperations;
import kr.codeb.ports.PortRange;
import kr.codeb.ports.ProjectEntry;
import kr.codeb.ports.Registry;
import kr.codeb.ports.SlotPorts;
import kr.codeb.runtime.ContainerRuntime;
import kr.codeb.runtime.ContainerRuntimeFactory;

/**
 * Checks a port registry with CodeB's own checker, and finds the Docker engine adapter that
 * codeb-docker registers. The registry is built in code: reading the SSOT's JSON file is
 * codeb-ssot's job (add it for {@code ProviderRegistry.load().ssotStore(path)}).
 */
public final class EmbeddedSsotCheck {
  private EmbeddedSsotCheck() {}

  public static void main(String[] args) {
    Environment production = Environment.of("production");
    // worb's green port 4101 is recorded for another project: the check reports it.
    Registry registry = Registry.of(Map.of(production, new PortRange(4100, 4199)))
        .withProject(ProjectEntry.of(ProjectName.of("worb"))
            .withPorts(production, new SlotPorts(4100, 4101)))
        .withAllocation(Allocation.of(4100, ProjectName.of("worb"), Slot.BLUE, production))
        .withAllocation(Allocation.of(4101, ProjectName.of("homepage"), Slot.BLUE, production));
    List<Finding> findings = PortOperations.check(registry);
    for (Finding f : findings) {
      System.out.println("finding " + f.kind().id() + ": " + f.message());
    }

    // A factory does no I/O: the adapter is made without a Docker engine running.
    ProviderRegistry providers = ProviderRegistry.load();
    System.out.println("container runtimes: " + providers.schemes(ContainerRuntimeFactory.class));
    try (ContainerRuntime docker = providers.containerRuntime("docker+unix:///var/run/docker.sock")) {
      System.out.println("docker adapter: " + docker.info().id());
    }
    System.exit(findings.isEmpty() ? 0 : 1);
  }
}
