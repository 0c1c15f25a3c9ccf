package kr.codeb.ssh.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import kr.codeb.AuthException;
import kr.codeb.CodeBException;
import kr.codeb.InvalidRequestException;
import kr.codeb.NotFoundException;
import kr.codeb.UnavailableException;
import kr.codeb.ssh.FileOwner;
import kr.codeb.ssh.SshTarget;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.sftp.FileAttributes;
import net.schmizz.sshj.sftp.OpenMode;
import net.schmizz.sshj.sftp.RemoteFile;
import net.schmizz.sshj.sftp.RenameFlags;
import net.schmizz.sshj.sftp.Response;
import net.schmizz.sshj.sftp.SFTPClient;
import net.schmizz.sshj.sftp.SFTPEngine;
import net.schmizz.sshj.sftp.SFTPException;

/** Atomic uploads and bounded downloads over SFTP, one SFTP channel per call. */
final class SftpFiles {
  private static final String POSIX_RENAME = "posix-rename@openssh.com";
  private static final SecureRandom RANDOM = new SecureRandom();

  private SftpFiles() {}

  /** Requires an absolute path without NUL or newline, not ending in '/'. */
  static String checkPath(String path) {
    if (path == null || !path.startsWith("/") || path.endsWith("/") || path.contains("\0")
        || path.contains("\n") || path.length() > 4096) {
      throw new InvalidRequestException("invalid remote path "
          + (path == null ? "(none)" : "'" + (path.length() > 80 ? path.substring(0, 80) + "..." : path) + "'")
          + ": use an absolute file path such as /etc/codeb/app.env (no trailing '/', no newline)");
    }
    return path;
  }

  static int checkMode(int mode) {
    if (mode < 0 || mode > 07777) {
      throw new InvalidRequestException("file mode 0" + Integer.toOctalString(mode)
          + " is outside 0000-7777 (octal, e.g. 0644)");
    }
    return mode;
  }

  static void upload(SSHClient client, SshTarget target, InputStream content, String path,
      int mode, Optional<FileOwner> owner) throws IOException {
    int slash = path.lastIndexOf('/');
    String folder = slash == 0 ? "/" : path.substring(0, slash);
    String temp = (slash == 0 ? "" : folder) + "/." + path.substring(slash + 1) + ".codeb-"
        + HexFormat.of().formatHex(randomBytes()) + ".tmp";
    try (SFTPClient sftp = client.newSFTPClient()) {
      boolean tempExists = false;
      boolean written = false;
      try {
        FileAttributes initial = new FileAttributes.Builder().withPermissions(mode & 0700).build();
        try (RemoteFile file = sftp.open(temp,
            EnumSet.of(OpenMode.WRITE, OpenMode.CREAT, OpenMode.EXCL), initial)) {
          tempExists = true;
          try (OutputStream out = file.new RemoteFileOutputStream(0, 16)) {
            content.transferTo(out);
          }
        }
        written = true;
        sftp.chmod(temp, mode);
        if (owner.isPresent()) {
          sftp.getSFTPEngine().setAttributes(temp,
              new FileAttributes.Builder().withUIDGID(owner.get().uid(), owner.get().gid()).build());
          // chown clears set-uid/set-gid bits on Linux: set the mode again
          sftp.chmod(temp, mode);
        }
        rename(sftp.getSFTPEngine(), temp, path);
        tempExists = false;
      } catch (SFTPException e) {
        throw mapped(target, e, written ? "setting mode/owner or renaming into " + path
            : "writing " + path, folder);
      } finally {
        if (tempExists) {
          removeQuietly(sftp, temp);
        }
      }
    }
  }

  private static byte[] randomBytes() {
    byte[] b = new byte[6];
    RANDOM.nextBytes(b);
    return b;
  }

  /** rename(2) over an existing file: OpenSSH's posix-rename, else SFTP rename with OVERWRITE. */
  private static void rename(SFTPEngine engine, String from, String to) throws IOException {
    if (engine.supportsServerExtension(POSIX_RENAME, "1")) {
      engine.request(engine.newExtendedRequest(POSIX_RENAME).putString(from).putString(to))
          .retrieve(engine.getTimeoutMs(), TimeUnit.MILLISECONDS)
          .ensureStatusPacketIsOK();
    } else {
      engine.rename(from, to, EnumSet.of(RenameFlags.OVERWRITE, RenameFlags.ATOMIC));
    }
  }

  static byte[] download(SSHClient client, SshTarget target, String path, long maxBytes)
      throws IOException {
    if (maxBytes < 0) {
      throw new InvalidRequestException("download limit " + maxBytes + " must be 0 or more bytes");
    }
    try (SFTPClient sftp = client.newSFTPClient();
        RemoteFile file = sftp.open(path, EnumSet.of(OpenMode.READ))) {
      long size = file.length();
      if (size > maxBytes) {
        throw new InvalidRequestException("remote file " + path + " on " + target.address()
            + " is " + size + " bytes, over the limit of " + maxBytes + " bytes");
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(size, 1 << 20));
      try (InputStream in = file.new RemoteFileInputStream(0)) {
        byte[] buf = new byte[32 * 1024];
        int n;
        while ((n = in.read(buf)) >= 0) {
          if (out.size() + (long) n > maxBytes) {
            throw new InvalidRequestException("remote file " + path + " on " + target.address()
                + " grew over the limit of " + maxBytes + " bytes while being read");
          }
          out.write(buf, 0, n);
        }
      }
      return out.toByteArray();
    } catch (SFTPException e) {
      int slash = path.lastIndexOf('/');
      throw mapped(target, e, "reading " + path, slash <= 0 ? "/" : path.substring(0, slash));
    }
  }

  private static CodeBException mapped(SshTarget target, SFTPException e, String what, String folder) {
    Response.StatusCode code = e.getStatusCode();
    String where = " on " + target.address();
    if (code == Response.StatusCode.NO_SUCH_FILE || code == Response.StatusCode.NO_SUCH_PATH) {
      return new NotFoundException(what + where + " failed: no such file or folder (the folder "
          + folder + " must exist)", e);
    }
    if (code == Response.StatusCode.PERMISSION_DENIED) {
      return new AuthException(what + where + " failed: permission denied for user "
          + target.user(), e);
    }
    return new UnavailableException(what + where + " failed: " + Failures.describe(e), e);
  }

  private static void removeQuietly(SFTPClient sftp, String path) {
    try {
      sftp.rm(path);
    } catch (IOException | RuntimeException ignored) {
      // best effort: a leftover ".NAME.codeb-*.tmp" is harmless and never read
    }
  }
}
