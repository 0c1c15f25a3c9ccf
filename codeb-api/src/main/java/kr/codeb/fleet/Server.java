package kr.codeb.fleet;

import java.net.URI;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import kr.codeb.Checks;
import kr.codeb.InvalidRequestException;
import kr.codeb.model.IpAddress;

/**
 * One server of the fleet.
 *
 * @param name a short label naming it ({@code app1}, {@code edge})
 * @param roles what it does; at least one
 * @param publicAddress what DNS points at
 * @param privateAddress what the other servers see: firewall sources, the edge's upstream dials
 * @param publishAddress the address its containers publish host ports on ({@code 127.0.0.1}
 *     when the proxy runs on the same server)
 * @param firewallGroup the cloud firewall group in front of it, if any
 * @param engines the URIs of the engines on it, by capability ({@code runtime}, {@code proxy},
 *     {@code dns}, ...); URIs never carry secrets. With {@code ssh}, their addresses are as this
 *     server sees them ({@code caddy+http://127.0.0.1:2019} is its own loopback)
 * @param ssh how CodeB logs in to it; empty when its engines are reached from here as their URIs
 *     say (the server CodeB runs on, or engines listening on the network)
 * @param projects the projects placed on it (an app server); with one app server in the fleet,
 *     every project is placed there without being listed
 */
public record Server(
    String name,
    Set<Role> roles,
    IpAddress publicAddress,
    IpAddress privateAddress,
    IpAddress publishAddress,
    Optional<String> firewallGroup,
    Map<String, URI> engines,
    Optional<SshEndpoint> ssh,
    List<String> projects) {

  public static final IpAddress LOOPBACK = IpAddress.of("127.0.0.1");

  public Server {
    Checks.label("server name", name, "app1");
    Objects.requireNonNull(roles, "roles");
    if (roles.isEmpty()) {
      throw new InvalidRequestException(
          "server " + name + " has no role: give at least one of app, storage, edge");
    }
    roles = Collections.unmodifiableSet(EnumSet.copyOf(roles));
    Objects.requireNonNull(publicAddress, "publicAddress");
    Objects.requireNonNull(privateAddress, "privateAddress");
    Objects.requireNonNull(publishAddress, "publishAddress");
    Objects.requireNonNull(firewallGroup, "firewallGroup");
    firewallGroup.ifPresent(g -> {
      if (g.isBlank()) {
        throw new InvalidRequestException("server " + name + ": firewall group must not be blank");
      }
    });
    engines = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(engines)));
    Objects.requireNonNull(ssh, "ssh");
    projects = List.copyOf(Objects.requireNonNull(projects, "projects"));
    projects.forEach(p -> Checks.label("project name", p, "shop"));
    if (!projects.isEmpty() && !roles.contains(Role.APP)) {
      throw new InvalidRequestException("server " + name + " lists projects but has no app role:"
          + " projects are placed on app servers");
    }
    engines.values().forEach(u -> {
      if (u.getUserInfo() != null && u.getUserInfo().contains(":")) {
        throw new InvalidRequestException("server " + name
            + ": an engine URI must not carry a password; use the environment or the config's"
            + " credentials");
      }
    });
  }

  /** A server reached from here as its engines' URIs say (no SSH), placing no project. */
  public Server(String name, Set<Role> roles, IpAddress publicAddress, IpAddress privateAddress,
      IpAddress publishAddress, Optional<String> firewallGroup, Map<String, URI> engines) {
    this(name, roles, publicAddress, privateAddress, publishAddress, firewallGroup, engines,
        Optional.empty(), List.of());
  }

  public boolean has(Role role) {
    return roles.contains(role);
  }

  public Optional<URI> engine(String capability) {
    return Optional.ofNullable(engines.get(capability));
  }
}
