package kr.codeb.doctor;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import kr.codeb.fleet.Role;
import kr.codeb.model.IpAddress;
import kr.codeb.runtime.ContainerRuntime;

/**
 * The container engine of one server, as {@link Doctor} looks at it.
 *
 * @param server the server's name in the topology ({@code local} for an engine named by flag)
 * @param roles what the server does: app servers run projects, storage servers databases
 * @param upstreamAddress the address the edge's proxy dials to reach the server's published
 *     ports (loopback when the edge is the same server)
 * @param runtime the engine; the caller keeps and closes it
 */
public record ServerEngine(String server, Set<Role> roles, IpAddress upstreamAddress,
    ContainerRuntime runtime) {
  public ServerEngine {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(roles, "roles");
    roles = Collections.unmodifiableSet(roles.isEmpty() ? EnumSet.noneOf(Role.class)
        : EnumSet.copyOf(roles));
    Objects.requireNonNull(upstreamAddress, "upstreamAddress");
    Objects.requireNonNull(runtime, "runtime");
  }

  public boolean has(Role role) {
    return roles.contains(role);
  }
}
