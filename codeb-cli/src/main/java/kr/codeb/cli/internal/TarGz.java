package kr.codeb.cli.internal;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Just enough of the tar format for release archives: listing a {@code .tar.gz} (keeping the
 * content of the few small files asked for) and writing one from a folder's files. POSIX ustar
 * headers; on reading also pax ({@code x}) and GNU long-name ({@code L}) entries, which the
 * system's tar and Maven's assembly write for long paths. No links, no devices.
 */
final class TarGz {
  private static final int BLOCK = 512;
  /** The largest file whose content {@link #read} keeps (SHA256SUMS is a few hundred bytes). */
  private static final int MAX_KEPT = 1 << 20;

  private TarGz() {}

  /** What {@link #read} found: every entry's path (folders end in "/"), and the kept files. */
  record Listing(List<String> paths, Map<String, byte[]> kept) {}

  /**
   * Lists the archive at {@code file}, keeping the content of the regular files whose path
   * {@code keep} accepts.
   *
   * @throws IOException when it is not a gzip-compressed tar archive
   */
  static Listing read(Path file, Predicate<String> keep) throws IOException {
    List<String> paths = new java.util.ArrayList<>();
    Map<String, byte[]> kept = new LinkedHashMap<>();
    try (InputStream in = new GZIPInputStream(Files.newInputStream(file), 65536)) {
      String longName = null;
      byte[] header = new byte[BLOCK];
      while (readBlock(in, header)) {
        if (isZero(header)) {
          break;
        }
        verifyChecksum(header);
        long size = octal(header, 124, 12);
        char type = (char) header[156];
        if (type == 'x' || type == 'L') {
          byte[] data = readData(in, size);
          longName = type == 'L' ? cString(data, 0, data.length) : paxPath(data, longName);
          continue;
        }
        if (type == 'g') {
          skip(in, size);
          continue;
        }
        String name = longName != null ? longName : ustarName(header);
        longName = null;
        paths.add(name);
        boolean regular = type == '0' || type == 0;
        if (regular && keep.test(name) && size <= MAX_KEPT) {
          kept.put(name, readData(in, size));
        } else {
          skip(in, size);
        }
      }
    }
    return new Listing(List.copyOf(paths), kept);
  }

  /**
   * Writes {@code files} (paths relative to {@code folder}, with "/") as a gzip-compressed tar
   * whose top folder is {@code top}: folders first as they are met, modes from the files
   * (0755 for executables, 0644 otherwise), owner 0, times from the files.
   */
  static void write(Path folder, List<String> files, String top, OutputStream target)
      throws IOException {
    GZIPOutputStream out = new GZIPOutputStream(target, 65536);
    java.util.Set<String> folders = new java.util.HashSet<>();
    directory(out, top + "/", folders);
    for (String relative : files) {
      Path file = folder.resolve(relative);
      String[] parts = relative.split("/");
      StringBuilder parent = new StringBuilder(top + "/");
      for (int i = 0; i < parts.length - 1; i++) {
        parent.append(parts[i]).append('/');
        directory(out, parent.toString(), folders);
      }
      long size = Files.size(file);
      int mode = Files.isExecutable(file) ? 0755 : 0644;
      out.write(header(top + "/" + relative, mode, size,
          Files.getLastModifiedTime(file).toMillis() / 1000, '0'));
      try (InputStream in = Files.newInputStream(file)) {
        long copied = in.transferTo(out);
        if (copied != size) {
          throw new IOException(file + " changed while it was archived");
        }
      }
      int pad = (int) ((BLOCK - size % BLOCK) % BLOCK);
      out.write(new byte[pad]);
    }
    out.write(new byte[BLOCK * 2]);
    out.finish();
  }

  private static void directory(OutputStream out, String path, java.util.Set<String> written)
      throws IOException {
    if (written.add(path)) {
      out.write(header(path, 0755, 0, System.currentTimeMillis() / 1000, '5'));
    }
  }

  private static byte[] header(String path, int mode, long size, long mtime, char type)
      throws IOException {
    byte[] h = new byte[BLOCK];
    byte[] name = path.getBytes(StandardCharsets.UTF_8);
    if (name.length <= 100) {
      System.arraycopy(name, 0, h, 0, name.length);
    } else {
      // ustar: up to 155 bytes of prefix, a "/", up to 100 bytes of name
      int cut = path.lastIndexOf('/', Math.min(path.length() - 1, 155));
      byte[] prefix = path.substring(0, Math.max(cut, 0)).getBytes(StandardCharsets.UTF_8);
      byte[] rest = path.substring(cut + 1).getBytes(StandardCharsets.UTF_8);
      if (cut <= 0 || prefix.length > 155 || rest.length > 100) {
        throw new IOException("path too long for a tar header: " + path);
      }
      System.arraycopy(rest, 0, h, 0, rest.length);
      System.arraycopy(prefix, 0, h, 345, prefix.length);
    }
    putOctal(h, 100, 8, mode);
    putOctal(h, 108, 8, 0);
    putOctal(h, 116, 8, 0);
    putOctal(h, 124, 12, size);
    putOctal(h, 136, 12, mtime);
    h[156] = (byte) type;
    byte[] magic = "ustar\u000000".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(magic, 0, h, 257, magic.length);
    Arrays.fill(h, 148, 156, (byte) ' ');
    long sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    putOctal(h, 148, 7, sum);
    h[155] = ' ';
    return h;
  }

  /** {@code value} as zero-padded octal digits in {@code length - 1} bytes and a NUL. */
  private static void putOctal(byte[] h, int offset, int length, long value) throws IOException {
    String digits = Long.toOctalString(value);
    if (digits.length() > length - 1) {
      throw new IOException("value too large for a tar header: " + value);
    }
    String padded = "0".repeat(length - 1 - digits.length()) + digits;
    System.arraycopy(padded.getBytes(StandardCharsets.US_ASCII), 0, h, offset, length - 1);
    h[offset + length - 1] = 0;
  }

  private static void verifyChecksum(byte[] h) throws IOException {
    long expected = octal(h, 148, 8);
    long sum = 0;
    for (int i = 0; i < BLOCK; i++) {
      sum += (i >= 148 && i < 156) ? ' ' : h[i] & 0xff;
    }
    if (sum != expected) {
      throw new IOException("not a tar archive (a header's checksum is wrong)");
    }
  }

  private static String ustarName(byte[] h) {
    String name = cString(h, 0, 100);
    boolean ustar = new String(h, 257, 5, StandardCharsets.US_ASCII).equals("ustar");
    String prefix = ustar ? cString(h, 345, 155) : "";
    return prefix.isEmpty() ? name : prefix + "/" + name;
  }

  /** The path= record of a pax header, else {@code previous}. */
  private static String paxPath(byte[] data, String previous) {
    String text = new String(data, StandardCharsets.UTF_8);
    for (String record : text.split("\n")) {
      int space = record.indexOf(' ');
      if (space > 0 && record.startsWith("path=", space + 1)) {
        return record.substring(space + 1 + "path=".length());
      }
    }
    return previous;
  }

  private static long octal(byte[] h, int offset, int length) throws IOException {
    String s = cString(h, offset, length).trim();
    try {
      return s.isEmpty() ? 0 : Long.parseLong(s, 8);
    } catch (NumberFormatException e) {
      throw new IOException("not a tar archive (a header field is not a number)");
    }
  }

  private static String cString(byte[] h, int offset, int length) {
    int end = offset;
    while (end < offset + length && h[end] != 0) {
      end++;
    }
    return new String(h, offset, end - offset, StandardCharsets.UTF_8);
  }

  private static boolean isZero(byte[] block) {
    for (byte b : block) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean readBlock(InputStream in, byte[] block) throws IOException {
    int n = in.readNBytes(block, 0, BLOCK);
    if (n == 0) {
      return false;
    }
    if (n < BLOCK) {
      throw new EOFException("the tar archive ends inside a header");
    }
    return true;
  }

  private static byte[] readData(InputStream in, long size) throws IOException {
    if (size > MAX_KEPT) {
      throw new IOException("a tar header entry is too large: " + size + " bytes");
    }
    ByteArrayOutputStream data = new ByteArrayOutputStream((int) size);
    byte[] block = new byte[BLOCK];
    for (long left = size; left > 0; left -= BLOCK) {
      if (!readBlock(in, block)) {
        throw new EOFException("the tar archive ends inside an entry");
      }
      data.write(block, 0, (int) Math.min(BLOCK, left));
    }
    return data.toByteArray();
  }

  private static void skip(InputStream in, long size) throws IOException {
    long padded = (size + BLOCK - 1) / BLOCK * BLOCK;
    in.skipNBytes(padded);
  }
}
