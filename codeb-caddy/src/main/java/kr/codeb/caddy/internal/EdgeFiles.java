package kr.codeb.caddy.internal;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import kr.codeb.AuthException;
import kr.codeb.NotFoundException;
import kr.codeb.UnavailableException;
import kr.codeb.fleet.ServerLink;

/**
 * Small files on Caddy's machine: this machine's file system, or the edge server's through its
 * {@link ServerLink}. Paths are absolute and made only of characters that need no quoting in a
 * POSIX shell (checked by {@link kr.codeb.caddy.CaddyConfig} and {@link kr.codeb.proxy.Route}).
 * Writes are atomic (a temporary file renamed over the target), so Caddy reads the old or the
 * whole new content; files are world-readable (0644) so a Caddy running as another user reads
 * them.
 */
public interface EdgeFiles {
  /** The file's content, or empty when there is none. */
  Optional<byte[]> read(String path);

  /** Writes the file atomically, creating its folder (0755) if missing. */
  void write(String path, byte[] content);

  /** Whether the file exists. */
  boolean exists(String path);

  /** Deletes the file; {@code false} if there was none. */
  boolean delete(String path);

  /** Files on the edge server {@code link} reaches, or on this machine without one. */
  static EdgeFiles of(Optional<ServerLink> link) {
    return link.<EdgeFiles>map(Remote::new).orElseGet(Local::new);
  }

  /** The largest file read back (a maintenance page is far smaller). */
  long MAX_BYTES = 64 * 1024;

  /** This machine's file system. */
  final class Local implements EdgeFiles {
    @Override
    public Optional<byte[]> read(String path) {
      try {
        return Optional.of(Files.readAllBytes(Path.of(path)));
      } catch (NoSuchFileException e) {
        return Optional.empty();
      } catch (IOException e) {
        throw failed("read", path, e);
      }
    }

    @Override
    public void write(String path, byte[] content) {
      Path target = Path.of(path);
      Path temp = null;
      try {
        Path dir = target.getParent();
        if (!Files.isDirectory(dir)) {
          Files.createDirectories(dir);
          Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        temp = Files.createTempFile(dir, ".codeb-", ".tmp");
        Files.write(temp, content);
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
        try {
          Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE,
              StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        temp = null;
      } catch (IOException e) {
        throw failed("write", path, e);
      } finally {
        if (temp != null) {
          try {
            Files.deleteIfExists(temp);
          } catch (IOException e) {
            // the write already failed and says so; a stray temporary file is harmless
            org.slf4j.LoggerFactory.getLogger(EdgeFiles.class)
                .warn("could not remove the temporary file {}: {}", temp, e.toString());
          }
        }
      }
    }

    @Override
    public boolean exists(String path) {
      return Files.exists(Path.of(path));
    }

    @Override
    public boolean delete(String path) {
      try {
        return Files.deleteIfExists(Path.of(path));
      } catch (IOException e) {
        throw failed("delete", path, e);
      }
    }

    private static RuntimeException failed(String what, String path, IOException e) {
      if (e instanceof AccessDeniedException) {
        return new AuthException("may not " + what + " " + path + " on this machine (Caddy's"
            + " maintenance_dir): " + e.getMessage(), "caddy", 0, e);
      }
      return new UnavailableException("could not " + what + " " + path + " on this machine"
          + " (Caddy's maintenance_dir): " + e, "caddy", 0, e);
    }
  }

  /** The edge server's file system over SSH. */
  final class Remote implements EdgeFiles {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private final ServerLink link;

    Remote(ServerLink link) {
      this.link = link;
    }

    @Override
    public Optional<byte[]> read(String path) {
      try {
        return Optional.of(link.download(path, MAX_BYTES));
      } catch (NotFoundException e) {
        return Optional.empty();
      }
    }

    @Override
    public void write(String path, byte[] content) {
      String dir = path.substring(0, path.lastIndexOf('/'));
      ServerLink.CommandResult made = link.run("test -d " + dir + " || mkdir -p -m 0755 " + dir,
          TIMEOUT);
      if (!made.succeeded()) {
        throw new AuthException("could not create " + dir + " on " + link.endpoint()
            + " (Caddy's maintenance_dir): " + made.stderr().strip(), "caddy", 0, null);
      }
      link.upload(content, path, 0644);
    }

    @Override
    public boolean exists(String path) {
      return link.run("test -e " + path, TIMEOUT).succeeded();
    }

    @Override
    public boolean delete(String path) {
      ServerLink.CommandResult r = link.run(
          "if [ -e " + path + " ]; then rm -f -- " + path + " && echo removed; fi", TIMEOUT);
      if (!r.succeeded()) {
        throw new AuthException("could not delete " + path + " on " + link.endpoint()
            + " (Caddy's maintenance_dir): " + r.stderr().strip(), "caddy", 0, null);
      }
      return r.stdout().contains("removed");
    }
  }
}
