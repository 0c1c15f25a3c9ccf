package kr.codeb;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * Reads a file that a person named (the SSOT file, the config file, an env file) without
 * letting the name hang or exhaust the process.
 *
 * <ul>
 *   <li>Only a regular file is read (a symlink to one is fine). The type is checked before the
 *       file is opened, so a FIFO is never opened (opening one waits for a writer, forever) and
 *       a device ({@code /dev/zero}, {@code /dev/urandom}) or a directory is never read.
 *   <li>No more than the caller's limit is read: a larger file (also a sparse one, which costs
 *       no disk but would fill the heap) is refused from its size, and the read itself stops one
 *       byte past the limit should the file grow in between.
 * </ul>
 *
 * Messages name the file with its control characters escaped ({@link #shown}) and say what is
 * allowed; they never quote the file's content, and never name a Java class.
 */
public final class InputFiles {
  private static final int SHOWN_PATH = 512;

  private InputFiles() {}

  /**
   * The file's bytes.
   *
   * @param what what the file is, for messages ("SSOT file", "config file")
   * @param maxBytes the largest size accepted
   * @throws NotFoundException if the file does not exist
   * @throws InvalidRequestException if it is not a regular file, or larger than {@code maxBytes}
   * @throws UnavailableException if it cannot be read (permissions, I/O)
   */
  public static byte[] read(Path file, String what, long maxBytes) {
    requireRegular(file, what, maxBytes);
    try (InputStream in = Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
      if (bytes.length > maxBytes) {
        throw tooLarge(file, what, maxBytes);
      }
      return bytes;
    } catch (IOException e) {
      throw unreadable(file, what, e);
    }
  }

  /**
   * Checks, without opening it, that the file is a regular file of at most {@code maxBytes}.
   *
   * @throws NotFoundException if the file does not exist
   * @throws InvalidRequestException if it is not a regular file, or larger than {@code maxBytes}
   * @throws UnavailableException if its attributes cannot be read
   */
  public static void requireRegular(Path file, String what, long maxBytes) {
    Objects.requireNonNull(file, "file");
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (IOException e) {
      throw unreadable(file, what, e);
    }
    if (!attributes.isRegularFile()) {
      throw new InvalidRequestException(what + " " + shown(file) + " is " + kind(attributes)
          + ", not a regular file; give the path of a regular file");
    }
    if (attributes.size() > maxBytes) {
      throw tooLarge(file, what, maxBytes);
    }
  }

  /**
   * The exception for an I/O failure on a file a person named, in words: "does not exist"
   * ({@link NotFoundException}), "permission denied", the system's reason.
   */
  public static CodeBException unreadable(Path file, String what, IOException e) {
    if (e instanceof NoSuchFileException) {
      return new NotFoundException(what + " " + shown(file) + " does not exist", e);
    }
    return new UnavailableException(what + " " + shown(file) + " cannot be read: "
        + reason(e), e);
  }

  /** What went wrong, for people: the system's reason, never the exception's class. */
  public static String reason(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof NoSuchFileException) {
      return "no such file or folder";
    }
    if (e instanceof FileSystemException f && f.getReason() != null) {
      return f.getReason();
    }
    return e.getMessage() == null ? "input/output error" : e.getMessage();
  }

  /**
   * A path as it may be printed: control characters (a NUL, a newline, an escape sequence)
   * as {@code \}{@code uXXXX}, and cut short past 512 characters.
   */
  public static String shown(Path file) {
    return shown(String.valueOf(file));
  }

  /** The same for a path or name given as text. */
  public static String shown(String text) {
    String cut = text.length() > SHOWN_PATH ? text.substring(0, SHOWN_PATH) + "..." : text;
    StringBuilder b = new StringBuilder(cut.length());
    for (char c : cut.toCharArray()) {
      b.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : c);
    }
    return b.toString();
  }

  private static InvalidRequestException tooLarge(Path file, String what, long maxBytes) {
    return new InvalidRequestException(what + " " + shown(file) + " is larger than the "
        + maxBytes + " bytes allowed");
  }

  private static String kind(BasicFileAttributes attributes) {
    if (attributes.isDirectory()) {
      return "a directory";
    }
    if (attributes.isOther()) {
      return "a device, FIFO or socket";
    }
    return "not a file";
  }
}
