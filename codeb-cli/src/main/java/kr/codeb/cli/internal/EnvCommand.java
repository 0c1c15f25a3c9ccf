package kr.codeb.cli.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import kr.codeb.Checks;
import kr.codeb.InvalidRequestException;
import kr.codeb.deploy.DeployKey;
import kr.codeb.env.EnvFile;
import kr.codeb.ports.PortOperations;
import kr.codeb.ports.Registry;
import kr.codeb.ports.SsotStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code we env}: the project's env file on its app servers ({@link ProjectEnvFiles}). Its verbs
 * print key names only, never a value, in text and {@code --json} alike.
 */
@Command(
    name = "env", header = "The project's env file on its servers: set, unset, keys, diff.",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {"One env file per project and environment on each app server that runs the",
        "project (the config file's envDir:, default /opt/codeb/env/<project>-<env>.env, mode",
        "0600). `we deploy` starts the new slot with its content. Output names keys only."})
final class EnvCommand implements Callable<Integer> {
  private final Session session;

  EnvCommand(Session session) {
    this.session = session;
  }

  @Override
  public Integer call() {
    return session.missingSubcommand("we env");
  }

  @Command(
      name = "unset", header = "Remove keys from the project's env file.",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      description = {"Remove KEYs from the project's env file on every app server that runs it.",
          "A key that is not set is ignored; prints `unchanged` when nothing was removed."})
  static final class Unset implements Callable<Integer> {
    private final Session session;

    @Mixin ProjectEnvOptions target;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "KEY",
        description = "The names to remove.")
    List<String> keys = new ArrayList<>();

    Unset(Session session) {
      this.session = session;
    }

    @Override
    public Integer call() {
      DeployKey key = target.key();
      keys.forEach(EnvFile::checkKey);
      requireKnown(session, key);
      ProjectEnvFiles files = new ProjectEnvFiles(session);
      EnvFile.Diff diff = files.update(key.project(), key.environment(), f -> f.without(keys));
      return printChange(session, key, files, diff);
    }
  }

  @Command(
      name = "keys", header = "List the names in the project's env file (never values).",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      description = "The names set in the project's env file, in file order; never their values.")
  static final class Keys implements Callable<Integer> {
    private final Session session;

    @Mixin ProjectEnvOptions target;

    Keys(Session session) {
      this.session = session;
    }

    @Override
    public Integer call() {
      DeployKey key = target.key();
      requireKnown(session, key);
      ProjectEnvFiles files = new ProjectEnvFiles(session);
      java.util.Optional<EnvFile> file = files.read(key.project(), key.environment());
      String location = files.location(key.project(), key.environment());
      Set<String> names = file.map(EnvFile::keys).orElse(Set.of());
      if (session.json()) {
        ObjectNode root = head(session, key, location);
        root.put("exists", file.isPresent());
        names.forEach(root.putArray("keys")::add);
        session.printJson(root);
      } else if (file.isEmpty()) {
        session.out().println(key + ": no env file (" + location + ")");
      } else {
        names.forEach(session.out()::println);
      }
      return 0;
    }
  }

  @Command(
      name = "diff", header = "Show which keys a file would add, change or remove.",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      description = {"Compare FILE with the project's env file: the keys that replacing the env",
          "file by FILE would add (+), change (~) and remove (-); never values. FILE is read",
          "as `we env set --from-file` reads it. Prints `unchanged` when they hold the same."})
  static final class Diff implements Callable<Integer> {
    private final Session session;

    @Mixin ProjectEnvOptions target;

    @Parameters(index = "1", paramLabel = "FILE", description = "An env file of KEY=VALUE lines.")
    Path file;

    @Option(names = "--allow-insecure-env-file",
        description = "Read a FILE that its group or other users may read.")
    boolean allowInsecure;

    Diff(Session session) {
      this.session = session;
    }

    @Override
    public Integer call() {
      DeployKey key = target.key();
      EnvFile wanted = EnvInput.fromFile(session.path(file), allowInsecure);
      requireKnown(session, key);
      ProjectEnvFiles files = new ProjectEnvFiles(session);
      EnvFile current = files.read(key.project(), key.environment()).orElse(EnvFile.EMPTY);
      EnvFile.Diff diff = current.diff(wanted);
      String location = files.location(key.project(), key.environment());
      if (session.json()) {
        ObjectNode root = head(session, key, location);
        diffJson(root, diff);
        session.printJson(root);
      } else if (diff.isEmpty()) {
        session.out().println("unchanged");
      } else {
        diff.added().forEach(k -> session.out().println("+ " + k));
        diff.changed().forEach(k -> session.out().println("~ " + k));
        diff.removed().forEach(k -> session.out().println("- " + k));
      }
      return 0;
    }
  }

  /**
   * Checks that the SSOT defines the environment and has an entry for the project (exit 2
   * otherwise, naming what is known), as the deploy verbs check their project.
   */
  static void requireKnown(Session session, DeployKey key) {
    Registry registry;
    try (SsotStore ssot = session.openSsot()) {
      registry = ssot.read();
    }
    PortOperations.requireProjectEnvironment(registry, key.environment());
    if (registry.project(key.project()).isEmpty()) {
      List<String> known = registry.projects().keySet().stream().map(Object::toString).sorted()
          .limit(20).toList();
      throw new InvalidRequestException("project " + Checks.quote(key.project().value())
          + " is not in the SSOT (known: " + (known.isEmpty() ? "none" : String.join(", ", known))
          + "): deploy it, or give it ports with `we ssot allocate " + key.project() + " --env "
          + key.environment() + "`, first");
    }
  }

  static ObjectNode head(Session session, DeployKey key, String location) {
    ObjectNode root = session.jsonOutput().object();
    root.put("project", key.project().value());
    root.put("environment", key.environment().name());
    root.put("location", location);
    return root;
  }

  /** {@code "changed": bool, "keys": {"added": [...], "changed": [...], "removed": [...]}}. */
  static void diffJson(ObjectNode root, EnvFile.Diff diff) {
    root.put("changed", !diff.isEmpty());
    ObjectNode keys = root.putObject("keys");
    ArrayNode added = keys.putArray("added");
    diff.added().forEach(added::add);
    ArrayNode changed = keys.putArray("changed");
    diff.changed().forEach(changed::add);
    ArrayNode removed = keys.putArray("removed");
    diff.removed().forEach(removed::add);
  }

  /** What {@code set} or {@code unset} did: the keys by kind of change, or {@code unchanged}. */
  static int printChange(Session session, DeployKey key, ProjectEnvFiles files,
      EnvFile.Diff diff) {
    String location = files.location(key.project(), key.environment());
    if (session.json()) {
      ObjectNode root = head(session, key, location);
      diffJson(root, diff);
      session.printJson(root);
    } else if (diff.isEmpty()) {
      session.out().println("unchanged");
    } else {
      List<String> parts = new ArrayList<>();
      if (!diff.added().isEmpty()) {
        parts.add("added " + String.join(", ", diff.added()));
      }
      if (!diff.changed().isEmpty()) {
        parts.add("changed " + String.join(", ", diff.changed()));
      }
      if (!diff.removed().isEmpty()) {
        parts.add("removed " + String.join(", ", diff.removed()));
      }
      session.out().println(key + ": " + String.join("; ", parts) + " (" + location + ")");
    }
    return 0;
  }
}
