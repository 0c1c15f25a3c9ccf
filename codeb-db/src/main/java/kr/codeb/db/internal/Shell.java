package kr.codeb.db.internal;

import java.time.Duration;
import kr.codeb.UnavailableException;
import kr.codeb.fleet.ServerLink;

/** Commands on the storage server, through its link. */
public final class Shell {
  private Shell() {}

  /** {@code s} as one POSIX shell word. */
  public static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  /**
   * Runs {@code command}; a non-zero exit is an {@link UnavailableException} saying what failed
   * ({@code what}) with the last line of its stderr (the commands CodeB runs here carry no
   * secret in their arguments or output).
   */
  public static String run(ServerLink link, String what, String command, Duration timeout) {
    ServerLink.CommandResult r = link.run(command, timeout);
    if (!r.succeeded()) {
      String err = r.stderr().strip();
      int nl = err.lastIndexOf('\n');
      throw new UnavailableException(what + " failed on " + link.endpoint() + " (exit "
          + r.exitStatus() + (err.isEmpty() ? "" : ": " + err.substring(nl + 1)) + ")");
    }
    return r.stdout();
  }
}
