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
 */
record CliConfig(
    Optional<Path> source, Optional<String> ssot, Map<String, String> providers, Topology topology) {

  /** The capabilities {@code providers:} may name. */
  static final Set<String> CAPABILITIES = Set.of("runtime", "proxy", "dns", "firewall");

  static final CliConfig EMPTY =
      new CliConfig(Optional.empty(), Optional.empty(), Map.of(), Topology.empty());

  CliConfig {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(ssot, "ssot");
    providers = Collections.unmodifiableMap(new LinkedHashMap<>(providers));
    Objects.requireNonNull(topology, "topology");
  }

  Optional<String> provider(String capability) {
    return Optional.ofNullable(providers.get(capability));
  }
}
