package kr.codeb.env;

import java.nio.file.Path;
import java.util.Optional;
import kr.codeb.env.internal.LocalEnvFiles;
import kr.codeb.env.internal.RemoteEnvFiles;
import kr.codeb.fleet.ServerLink;
import kr.codeb.model.Environment;
import kr.codeb.model.ProjectName;

/**
 * The env files of one server: one file per project and environment, named {@code
 * <project>-<env>.env} in one folder ({@link #DEFAULT_FOLDER} on a server of the fleet).
 *
 * <p>{@link #write} is atomic (readers see the old file or the whole new one) and leaves the
 * file with mode {@code 0600}; the folder is created with mode {@code 0700} when missing. A
 * symbolic link, or anything but a regular file, where the file should be is refused by both
 * {@link #read} and {@link #write}, which then write nothing: a link could send secrets to
 * another file. Safe for several threads; two writers of the same file at once are not merged
 * (the last rename wins), so callers serialize edits of one project, as deploys do with their
 * lock.
 */
public interface EnvFileStore {
  /** Where the env files live on a server of the fleet. */
  String DEFAULT_FOLDER = "/opt/codeb/env";

  /** The largest env file read: 1 MiB. */
  long MAX_BYTES = 1 << 20;

  /** For people: the server and path of a project's file, such as {@code app1:/opt/...}. */
  String location(ProjectName project, Environment environment);

  /**
   * The project's env file, or empty when there is none.
   *
   * @throws kr.codeb.InvalidRequestException when the path is a link or not a regular file, the
   *     file is over {@link #MAX_BYTES}, or its content does not parse (naming the line)
   */
  Optional<EnvFile> read(ProjectName project, Environment environment);

  /**
   * Replaces the project's env file with {@code file}, atomically, mode {@code 0600}.
   *
   * @throws kr.codeb.InvalidRequestException when the path is a link or not a regular file
   */
  void write(ProjectName project, Environment environment, EnvFile file);

  /**
   * Removes the project's env file. Idempotent: returns whether there was one.
   *
   * @throws kr.codeb.InvalidRequestException when the path is a folder
   */
  boolean delete(ProjectName project, Environment environment);

  /** The file name of a project's env file: {@code <project>-<env>.env}. */
  static String fileName(ProjectName project, Environment environment) {
    return project.value() + "-" + environment.name() + ".env";
  }

  /** Env files in {@code folder} on this machine. */
  static EnvFileStore local(Path folder) {
    return new LocalEnvFiles(folder);
  }

  /** Env files in the absolute {@code folder} on the server behind {@code link}. */
  static EnvFileStore onServer(ServerLink link, String folder) {
    return new RemoteEnvFiles(link, folder);
  }
}
