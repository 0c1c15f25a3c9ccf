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

  /**
   * The app server {@code project} lives on: the one that lists it in {@code projects}, else the
   * only app server. {@link NotFoundException} when there is no app server, or several and none
   * (or more than one) lists the project.
   */
  public Server appServerOf(String project) {
    List<Server> placed = appServersOf(project);
    if (placed.size() == 1) {
      return placed.get(0);
    }
    throw new NotFoundException("project " + project + " runs on several app servers "
        + placed.stream().map(Server::name).toList() + ": this needs one of them");
  }

  /**
   * The app servers {@code project} runs on, in the config's order: every one that lists it in
   * {@code projects} (a project on several servers is deployed to all of them at once), else
   * the only app server. {@link NotFoundException} when there is no app server, or several and
   * none lists the project.
   */
  public List<Server> appServersOf(String project) {
    List<Server> apps = withRole(Role.APP);
    List<Server> listing = apps.stream().filter(s -> s.projects().contains(project)).toList();
    if (!listing.isEmpty()) {
      return listing;
    }
    if (apps.size() == 1) {
      return apps;
    }
    if (apps.isEmpty()) {
      throw new NotFoundException("the fleet has no server with the app role: give one server"
          + " roles: [app]");
    }
    throw new NotFoundException("project " + project + " is not placed on an app server: list"
        + " it under projects: of one or more of " + apps.stream().map(Server::name).toList());
  }

  private List<String> names() {
    return servers.stream().map(Server::name).toList();
  }
}
