package kr.codeb.env.internal;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;
import kr.codeb.InvalidRequestException;
import kr.codeb.UnavailableException;
import kr.codeb.env.EnvFile;
import kr.codeb.env.EnvFileStore;
import kr.codeb.fleet.ServerLink;
import kr.codeb.fleet.ServerLink.CommandResult;
import kr.codeb.model.Environment;
import kr.codeb.model.ProjectName;

/** Env files in a folder of a server of the fleet, through its {@link ServerLink}. */
public final class RemoteEnvFiles implements EnvFileStore {
  private static final Pattern FOLDER = Pattern.compile("/[A-Za-z0-9_./-]*");
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final ServerLink link;
  private final String folder;

  public RemoteEnvFiles(ServerLink link, String folder) {
    if (folder == null || !FOLDER.matcher(folder).matches() || folder.contains("..")) {
      throw new InvalidRequestException("invalid env file folder "
          + (folder == null ? "(none)" : "'" + folder + "'")
          + ": use an absolute path of letters, digits, '_', '.', '/' and '-', such as "
          + EnvFileStore.DEFAULT_FOLDER);
    }
    this.link = link;
    this.folder = folder.length() > 1 && folder.endsWith("/")
        ? folder.substring(0, folder.length() - 1) : folder;
  }

  @Override
  public String location(ProjectName project, Environment environment) {
    return link.endpoint().serverName() + ":" + path(project, environment);
  }

  private String path(ProjectName project, Environment environment) {
    return (folder.equals("/") ? "" : folder) + "/" + EnvFileStore.fileName(project, environment);
  }

  @Override
  public Optional<EnvFile> read(ProjectName project, Environment environment) {
    String path = path(project, environment);
    if (!exists(project, environment)) {
      return Optional.empty();
    }
    return Optional.of(EnvFile.parse(link.download(path, MAX_BYTES)));
  }

  @Override
  public void write(ProjectName project, Environment environment, EnvFile content) {
    // One command makes the folder and looks at what is in the file's place.
    existsAfter(project, environment, "mkdir -p -m 0700 '" + folder + "' && ");
    link.upload(content.render(), path(project, environment), 0600);
  }

  @Override
  public boolean delete(ProjectName project, Environment environment) {
    if (!exists(project, environment)) {
      return false;
    }
    sh("rm -f '" + path(project, environment) + "'", "remove " + path(project, environment));
    return true;
  }

  /** Whether a regular file is there; refuses a link or anything else. */
  private boolean exists(ProjectName project, Environment environment) {
    return existsAfter(project, environment, "");
  }

  /** {@link #exists}, after the shell command {@code before} (ending in {@code &&}) if any. */
  private boolean existsAfter(ProjectName project, Environment environment, String before) {
    String path = path(project, environment);
    String kind = sh(before + "if [ -L '" + path + "' ]; then echo link; elif [ -f '" + path
        + "' ]; then echo file; elif [ -e '" + path + "' ]; then echo other; else echo none; fi",
        before.isEmpty() ? "look at " + path : "create the folder " + folder + " and look at "
            + path).strip();
    switch (kind) {
      case "none":
        return false;
      case "file":
        return true;
      case "link":
        throw new InvalidRequestException("the env file " + location(project, environment)
            + " is a symbolic link: CodeB writes secrets only to a regular file; remove the link");
      default:
        throw new InvalidRequestException("the env file " + location(project, environment)
            + " is not a regular file: remove what is there");
    }
  }

  private String sh(String command, String what) {
    CommandResult r = link.run(command, TIMEOUT);
    if (!r.succeeded()) {
      throw new UnavailableException("cannot " + what + " on " + link.endpoint().serverName()
          + ": " + r.stderr().strip());
    }
    return r.stdout();
  }
}
