package kr.codeb.cli.internal;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kr.codeb.InvalidRequestException;
import kr.codeb.deploy.DeployKey;
import kr.codeb.deploy.EnvResolver;
import kr.codeb.deploy.EnvSource;
import kr.codeb.env.EnvFile;

/**
 * The container environment of a deploy and of a rollback that recreates a release:
 *
 * <ul>
 *   <li>{@code --env-file FILE}, when given, is the base; else the project's own env file on
 *       its app server ({@link ProjectEnvFiles}), when there is one; else nothing.
 *   <li>{@code -e KEY=VALUE} options then set single keys over the base.
 * </ul>
 *
 * <p>The release history records where the values came from ({@link EnvSource}, the project's
 * file as {@link EnvSource#projectFile}) and their hash, never the values.
 */
final class DeployEnvironment {
  private DeployEnvironment() {}

  /**
   * The environment of a new release of {@code key}.
   *
   * @param envFile the {@code --env-file}, already resolved against the line's folder, or null
   */
  static EnvResolver.Resolved forDeploy(Session session, DeployKey key, Path envFile,
      boolean allowInsecureEnvFile, List<String> options) {
    EnvVars given = new EnvVars();
    if (envFile != null) {
      given.readFile(envFile, allowInsecureEnvFile);
    }
    given.addOptions(options);
    if (envFile != null) {
      return new EnvResolver.Resolved(given.values(), given.source());
    }
    return withProjectFile(session, key, given);
  }

  /** The project's env file (if any) with {@code given}'s option values over it. */
  private static EnvResolver.Resolved withProjectFile(Session session, DeployKey key,
      EnvVars given) {
    ProjectEnvFiles files = new ProjectEnvFiles(session);
    Optional<EnvFile> project = files.read(key.project(), key.environment());
    if (project.isEmpty()) {
      return new EnvResolver.Resolved(given.values(), given.source());
    }
    Map<String, String> values = new LinkedHashMap<>(project.get().values());
    values.putAll(given.values());
    return new EnvResolver.Resolved(values, EnvSource.projectFile(
        files.location(key.project(), key.environment()), given.source().optionKeys()));
  }

  /**
   * The environment of a release of {@code key} that a rollback must recreate: from {@code
   * envFile} and {@code options} if given, else from the source the release recorded, read
   * again (the project's env file as it is now, or the env file by path). Values given with
   * {@code -e} are never kept, so such a release needs them again; for a release that used the
   * project's env file they are set over it.
   */
  static EnvResolver.Resolved forRollback(Session session, DeployKey key, EnvSource recorded,
      Path envFile, List<String> options, boolean allowInsecureEnvFile) {
    EnvVars env = new EnvVars();
    if (envFile != null) {
      env.readFile(envFile, allowInsecureEnvFile);
    }
    env.addOptions(options);
    if (envFile != null) {
      return new EnvResolver.Resolved(env.values(), env.source());
    }
    if (!recorded.optionKeys().isEmpty() && options.isEmpty()) {
      String file = recorded.projectFile().isPresent() ? ""
          : recorded.file().map(f -> ", --env-file " + f).orElse("");
      throw new InvalidRequestException("the previous release must be recreated, and it was"
          + " deployed with " + recorded.describe() + "; values given with -e are not kept:"
          + " give them again (-e KEY=VALUE" + file + "). Nothing was started");
    }
    if (recorded.projectFile().isPresent()) {
      return withProjectFile(session, key, env);
    }
    if (options.isEmpty() && recorded.file().isPresent()) {
      try {
        env.readFile(Path.of(recorded.file().get()), allowInsecureEnvFile);
      } catch (InvalidRequestException e) {
        throw new InvalidRequestException("the previous release must be recreated with its"
            + " environment, but " + e.getMessage() + "; give it with --env-file or -e."
            + " Nothing was started");
      }
    }
    return new EnvResolver.Resolved(env.values(), env.source());
  }
}
