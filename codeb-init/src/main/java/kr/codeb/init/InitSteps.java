package kr.codeb.init;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import kr.codeb.InvalidRequestException;
import kr.codeb.init.internal.DatabasesStep;
import kr.codeb.init.internal.DeployStep;
import kr.codeb.init.internal.DnsStep;
import kr.codeb.init.internal.EnvStep;
import kr.codeb.init.internal.FirewallStep;
import kr.codeb.init.internal.PortsStep;
import kr.codeb.init.internal.SiteStep;
import kr.codeb.init.internal.TlsStep;
import kr.codeb.init.internal.WorkflowStep;

/** The standard steps of a new project, in order. */
public final class InitSteps {
  /** The ids of the eight steps, in order ({@code deploy} follows with {@code --image}). */
  public static final List<String> IDS = List.of("ports", "databases", "env", "firewall", "dns",
      "site", "workflow", "tls");

  private InitSteps() {}

  /**
   * The eight steps (nine with an image) over {@code systems}. Bad input found without asking
   * a system (databases asked for without a storage server, {@code --repo} not a folder, an
   * image without an app engine) fails here, before anything is read or written.
   *
   * @param dbVersion the databases' image tag (empty: each kind's default)
   */
  public static List<InitStep> standard(InitRequest request, InitSystems systems,
      Optional<String> dbVersion) {
    List<InitStep> steps = new ArrayList<>();
    steps.add(new PortsStep(request, systems.ssot(), systems.appPorts()));
    steps.add(new DatabasesStep(request, systems.databases(), dbVersion));
    steps.add(new EnvStep(request, systems.databases(), systems.envFiles()));
    steps.add(new FirewallStep(request, systems.databases(), systems.firewall(),
        systems.firewallSources()));
    steps.add(new DnsStep(request, systems.dns(), systems.proxy(), systems.dnsAddresses()));
    steps.add(new SiteStep(request, systems.proxy(), systems.ssot(),
        systems.upstreamAddress()));
    steps.add(new WorkflowStep(request, systems.runnerLabels()));
    steps.add(new TlsStep(request, systems.tls()));
    if (request.image().isPresent()) {
      steps.add(new DeployStep(request, systems.ssot(), systems.deploy().orElseThrow(() ->
          new InvalidRequestException("--image needs the app server's container engine (a"
              + " server with roles: [app] and engines.runtime, or --runtime)")),
          systems.envFiles()));
    }
    return steps;
  }
}
