package kr.codeb.fleet;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import kr.codeb.Checks;
import kr.codeb.InvalidRequestException;
import kr.codeb.NotFoundException;

/** The fleet: the servers CodeB manages, each with its roles and addresses. */
public record Topology(List<Server> servers) {
  public Topology {
    servers = List.copyOf(Objects.requireNonNull(servers, "servers"));
    Set<String> names = new HashSet<>();
    for (Server s : servers) {
      if (!names.add(s.name())) {
        throw new InvalidRequestException("server name " + s.name() + " is used twice");
      }
    }
  }

  public static Topology empty() {
    return new Topology(List.of());
  }

  public Optional<Server> server(String name) {
    return servers.stream().filter(s -> s.name().equals(name)).findFirst();
  }

  /** The server of the given name, or a {@link NotFoundException} listing the known ones. */
  public Server require(String name) {
    return server(name).orElseThrow(() -> new NotFoundException("no server named "
        + Checks.quote(name) + " in the topology; known: " + names()));
  }

  public List<Server> withRole(Role role) {
    return servers.stream().filter(s -> s.has(role)).toList();
  }

  /** The one server with the role, if exactly one has it. */
  public Optional<Server> single(Role role) {
    List<Server> found = withRole(role);
    return found.size() == 1 ? Optional.of(found.get(0)) : Optional.empty();
  }

  private List<String> names() {
    return servers.stream().map(Server::name).toList();
  }
}
