package kr.codeb.cli.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import kr.codeb.env.EnvFile;
import kr.codeb.env.EnvFileStore;
import kr.codeb.fleet.Role;
import kr.codeb.fleet.Server;
import kr.codeb.fleet.Topology;
import kr.codeb.model.Environment;
import kr.codeb.model.ProjectName;

/**
 * A project's env file where the CLI keeps it: on every app server of the config file that runs
 * the project (over SSH, in the config file's {@code envDir:}, default {@link
 * EnvFileStore#DEFAULT_FOLDER}); in that same folder on this machine when the app server has no
 * {@code ssh:} or the config file names no app server (engines reached from here).
 *
 * <p>Values never leave this class except inside the {@link EnvFile} a caller asked for; the
 * messages it throws name servers, paths and keys only.
 */
final class ProjectEnvFiles {
  private final Session session;

  ProjectEnvFiles(Session session) {
    this.session = Objects.requireNonNull(session, "session");
  }

  /**
   * The project's env file on its (first) app server, or empty when there is none.
   *
   * @throws kr.codeb.InvalidRequestException when the path is a link or not a regular file, or
   *     the file does not parse
   */
  Optional<EnvFile> read(ProjectName project, Environment env) {
    return stores(project).get(0).read(project, env);
  }

  /**
   * Reads the project's env file (empty when there is none), applies {@code change}, and when
   * that changes anything writes the result, atomically and with mode {@code 0600}, on every
   * app server that runs the project. Nothing is written when the diff is empty.
   *
   * @return the keys the change added, changed and removed (empty: nothing was written)
   * @throws kr.codeb.InvalidRequestException when {@code change} refuses its input, or a path is
   *     a link (then nothing is written anywhere)
   */
  EnvFile.Diff update(ProjectName project, Environment env, UnaryOperator<EnvFile> change) {
    List<EnvFileStore> stores = stores(project);
    EnvFile current = stores.get(0).read(project, env).orElse(EnvFile.EMPTY);
    EnvFile next = Objects.requireNonNull(change.apply(current), "the changed env file");
    EnvFile.Diff diff = current.diff(next);
    if (diff.isEmpty()) {
      return diff;
    }
    // Every server's path is checked before the first write, so that a link on the second
    // server does not leave the first one changed alone.
    for (int i = 1; i < stores.size(); i++) {
      stores.get(i).read(project, env);
    }
    try (CommandAudit audit = new CommandAudit(session)) {
      for (EnvFileStore store : stores) {
        audit.wrap().envFiles(store).write(project, env, next);
      }
    }
    return diff;
  }

  /** For messages: where the project's env file is ({@code app1:/opt/codeb/env/shop-prod.env}). */
  String location(ProjectName project, Environment env) {
    List<EnvFileStore> stores = stores(project);
    List<String> places = new ArrayList<>();
    stores.forEach(s -> places.add(s.location(project, env)));
    return String.join(", ", places);
  }

  /** The store of the project's (first) app server: where {@code we init} writes. */
  EnvFileStore primaryStore(ProjectName project) {
    return stores(project).get(0);
  }

  /** The folder of env files the config file names ({@code envDir:}), or the default one. */
  String folder() {
    return session.config().envDir().orElse(EnvFileStore.DEFAULT_FOLDER);
  }

  /** The stores of the servers that run the project, the one read from first. */
  private List<EnvFileStore> stores(ProjectName project) {
    List<EnvFileStore> stores = new ArrayList<>();
    for (Server server : servers(project)) {
      stores.add(server.ssh().isPresent()
          ? EnvFileStore.onServer(FleetLinks.of(session.registry(), server), folder())
          : localStore());
    }
    if (stores.isEmpty()) {
      stores.add(localStore());
    }
    return stores;
  }

  private EnvFileStore localStore() {
    return EnvFileStore.local(Path.of(folder()));
  }

  /**
   * The app servers that run the project: those listing it under {@code projects:}, else the
   * one {@link Topology#appServerOf} places it on; none when the config file has no app server.
   */
  private List<Server> servers(ProjectName project) {
    Topology topology = session.config().topology();
    if (topology.withRole(Role.APP).isEmpty()) {
      return List.of();
    }
    List<Server> listing = topology.withRole(Role.APP).stream()
        .filter(s -> s.projects().contains(project.value())).toList();
    return listing.isEmpty() ? List.of(topology.appServerOf(project.value())) : listing;
  }
}
