package kr.codeb.db.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import kr.codeb.InvalidRequestException;
import kr.codeb.NotFoundException;
import kr.codeb.db.StorageServer;

/**
 * A database's passwords, kept on the storage server in {@code <dataDir>/secrets/<name>.secret}
 * (mode 0600 in a 0700 folder, written atomically over SFTP), never on this machine and never
 * printed: {@link #toString()} is redacted.
 *
 * @param admin the Postgres superuser's password (empty for Redis)
 * @param password the app's password (the Postgres user's, Redis' requirepass)
 */
public record Credentials(Optional<String> admin, String password) {
  private static final long MAX_BYTES = 4096;

  public Credentials {
    admin.ifPresent(Credentials::check);
    check(password);
  }

  private static void check(String p) {
    if (!Passwords.valid(p)) {
      throw new InvalidRequestException("a credentials file holds a malformed password");
    }
  }

  public Credentials withPassword(String newPassword) {
    return new Credentials(admin, newPassword);
  }

  public static String path(StorageServer s, Names n) {
    return s.dataDir() + "/secrets/" + n.secretFile();
  }

  /** The stored credentials, if the file exists. */
  public static Optional<Credentials> load(StorageServer s, Names n) {
    byte[] bytes;
    try {
      bytes = s.link().download(path(s, n), MAX_BYTES);
    } catch (NotFoundException e) {
      return Optional.empty();
    }
    String admin = null;
    String password = null;
    for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
      if (line.startsWith("admin=")) {
        admin = line.substring(6);
      } else if (line.startsWith("password=")) {
        password = line.substring(9);
      }
    }
    if (password == null) {
      throw new InvalidRequestException("the credentials file " + path(s, n) + " has no"
          + " password line");
    }
    return Optional.of(new Credentials(Optional.ofNullable(admin), password));
  }

  /** Writes the file (the folder is made first, 0700). */
  public void store(StorageServer s, Names n) {
    Shell.run(s.link(), "creating " + s.dataDir() + "/secrets", "mkdir -p "
        + Shell.quote(s.dataDir() + "/secrets") + " && chmod 700 "
        + Shell.quote(s.dataDir() + "/secrets"), Duration.ofSeconds(30));
    String text = admin.map(a -> "admin=" + a + "\n").orElse("") + "password=" + password + "\n";
    s.link().upload(text.getBytes(StandardCharsets.UTF_8), path(s, n), 0600);
  }

  /** Removes the file; idempotent. */
  public static void delete(StorageServer s, Names n) {
    Shell.run(s.link(), "removing " + path(s, n), "rm -f " + Shell.quote(path(s, n)),
        Duration.ofSeconds(30));
  }

  @Override
  public String toString() {
    return "Credentials[redacted]";
  }
}
