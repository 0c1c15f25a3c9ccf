package kr.codeb.ssh;

import kr.codeb.InvalidRequestException;

/**
 * The numeric owner of an uploaded file. SFTP sets owners by number only; resolve a user name on
 * the server first (for example with {@code id -u NAME}) when needed.
 *
 * @param uid the owning user id, 0 or more
 * @param gid the owning group id, 0 or more
 */
public record FileOwner(int uid, int gid) {
  public FileOwner {
    if (uid < 0 || gid < 0) {
      throw new InvalidRequestException("file owner " + uid + ":" + gid
          + " is invalid: use numeric ids 0 or more (e.g. 0:0)");
    }
  }

  /** Parses {@code UID:GID} (numbers, e.g. {@code 1000:1000}). */
  public static FileOwner parse(String text) {
    if (text == null || !text.matches("\\d{1,10}:\\d{1,10}")) {
      throw new InvalidRequestException("invalid file owner "
          + (text == null ? "(none)" : "'" + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + "'")
          + ": use numeric UID:GID (e.g. 0:0 or 1000:1000)");
    }
    int colon = text.indexOf(':');
    try {
      return new FileOwner(Integer.parseInt(text.substring(0, colon)),
          Integer.parseInt(text.substring(colon + 1)));
    } catch (NumberFormatException e) {
      throw new InvalidRequestException("invalid file owner '" + text + "': ids must be below 2^31");
    }
  }

  @Override
  public String toString() {
    return uid + ":" + gid;
  }
}
