package kr.codeb.deploy;

import java.util.Locale;
import kr.codeb.InvalidRequestException;

/** What happened in one entry of the release history. */
public enum ReleaseOutcome {
  /** Deployed, healthy, and traffic switched to it. */
  DEPLOYED,
  /** Deployed and healthy, traffic not switched ({@code --no-switch}). */
  STAGED,
  /** The health gate failed; traffic stayed where it was. */
  FAILED,
  /** Traffic switched to a slot by hand. */
  PROMOTED,
  /** Traffic switched back to the previous release. */
  ROLLED_BACK,
  /**
   * Healthy, and the switch was sent, but the proxy could not be read back to tell whether it
   * took effect; the message names the command that shows where traffic goes.
   */
  SWITCH_UNKNOWN;

  /** Whether traffic is known to have gone (or, when staged, may go) to this release. */
  public boolean isSuccess() {
    return this != FAILED && this != SWITCH_UNKNOWN;
  }

  public String id() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public static ReleaseOutcome parse(String id) {
    for (ReleaseOutcome o : values()) {
      if (o.id().equals(id)) {
        return o;
      }
    }
    throw new InvalidRequestException("unknown release outcome '" + id + "'");
  }
}
