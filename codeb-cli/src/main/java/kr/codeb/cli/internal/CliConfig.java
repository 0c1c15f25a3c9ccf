package kr.codeb.cli.internal;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import kr.codeb.fleet.Topology;

/**
 * What a config file says, all parts optional.
 *
 * @param source the file it came from, absent for the empty config
 * @param ssot the SSOT location ({@code ssot:})
 * @param providers the default provider URI per capability ({@code providers:})
 * @param topology the servers ({@code servers:})
 * @param envDir the absolute folder of the projects' env files on the app servers, and on this
 *     machine when an app server has no {@code ssh:} ({@code envDir:}; default {@code
 *     /opt/codeb/env})
 * @param hooks the deploy hooks per {@code project} and {@code project/environment}
 *     ({@code projects.<name>.hooks}, {@code projects.<name>.environments.<env>.hooks})
 * @param hooksDir the folder of local hook scripts ({@code hooksDir:}; default {@code
 *     .codeb/hooks} in the working folder)
 * @param processes the projects' processes ({@code projects:})
 */
record CliConfig(
    Optional<Path> source, Optional<String> ssot, Map<String, String> providers, Topology topology,
    Optional<String> envDir, Map<String, HookConfig> hooks, Optional<Path> hooksDir,
    ProjectProcesses processes) {

  /** The capabilities {@code providers:} may name. */
  static final Set<String> CAPABILITIES = Set.of("runtime", "proxy", "dns", "firewall");

  static final CliConfig EMPTY =
      new CliConfig(Optional.empty(), Optional.empty(), Map.of(), Topology.empty());

  CliConfig {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(ssot, "ssot");
    providers = Collections.unmodifiableMap(new LinkedHashMap<>(providers));
    Objects.requireNonNull(topology, "topology");
    Objects.requireNonNull(envDir, "envDir");
    hooks = Map.copyOf(hooks);
    Objects.requireNonNull(hooksDir, "hooksDir");
    Objects.requireNonNull(processes, "processes");
  }

  CliConfig(Optional<Path> source, Optional<String> ssot, Map<String, String> providers,
      Topology topology, Optional<String> envDir) {
    this(source, ssot, providers, topology, envDir, Map.of(), Optional.empty(),
        ProjectProcesses.NONE);
  }

  CliConfig(Optional<Path> source, Optional<String> ssot, Map<String, String> providers,
      Topology topology) {
    this(source, ssot, providers, topology, Optional.empty());
  }

  Optional<String> provider(String capability) {
    return Optional.ofNullable(providers.get(capability));
  }
}
