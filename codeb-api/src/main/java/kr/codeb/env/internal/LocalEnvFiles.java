package kr.codeb.env.internal;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import kr.codeb.InputFiles;
import kr.codeb.InvalidRequestException;
import kr.codeb.UnavailableException;
import kr.codeb.env.EnvFile;
import kr.codeb.env.EnvFileStore;
import kr.codeb.model.Environment;
import kr.codeb.model.ProjectName;

/** Env files in a folder of this machine. */
public final class LocalEnvFiles implements EnvFileStore {
  private final Path folder;

  public LocalEnvFiles(Path folder) {
    this.folder = folder.toAbsolutePath().normalize();
  }

  @Override
  public String location(ProjectName project, Environment environment) {
    return "this machine:" + path(project, environment);
  }

  private Path path(ProjectName project, Environment environment) {
    return folder.resolve(EnvFileStore.fileName(project, environment));
  }

  @Override
  public Optional<EnvFile> read(ProjectName project, Environment environment) {
    Path file = path(project, environment);
    if (!exists(file)) {
      return Optional.empty();
    }
    return Optional.of(EnvFile.parse(InputFiles.read(file, "env file", MAX_BYTES)));
  }

  @Override
  public void write(ProjectName project, Environment environment, EnvFile content) {
    Path file = path(project, environment);
    try {
      if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
        Files.createDirectories(folder,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
      exists(file);
      Path temp = Files.createTempFile(folder, "." + file.getFileName(), ".tmp",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try {
        Files.write(temp, content.render());
        try {
          Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw new UnavailableException("cannot write the env file " + InputFiles.shown(file) + ": "
          + InputFiles.reason(e), e);
    }
  }

  @Override
  public boolean delete(ProjectName project, Environment environment) {
    Path file = path(project, environment);
    if (!exists(file)) {
      return false;
    }
    try {
      return Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UnavailableException("cannot remove the env file " + InputFiles.shown(file) + ": "
          + InputFiles.reason(e), e);
    }
  }

  /** Whether a regular file is there; refuses a link or anything else. */
  private static boolean exists(Path file) {
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (java.nio.file.NoSuchFileException e) {
      return false;
    } catch (IOException e) {
      throw InputFiles.unreadable(file, "env file", e);
    }
    if (attributes.isSymbolicLink()) {
      throw new InvalidRequestException("the env file " + InputFiles.shown(file)
          + " is a symbolic link: CodeB writes secrets only to a regular file; remove the link");
    }
    if (!attributes.isRegularFile()) {
      throw new InvalidRequestException("the env file " + InputFiles.shown(file)
          + " is not a regular file: remove what is there");
    }
    return true;
  }
}
