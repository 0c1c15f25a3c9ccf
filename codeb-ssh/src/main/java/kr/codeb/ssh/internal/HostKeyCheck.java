package kr.codeb.ssh.internal;

import java.util.List;
import kr.codeb.ssh.HostKey;

/**
 * Why a host key was refused: {@code known} is empty for an unknown host; otherwise the
 * fingerprints known_hosts has for that host (a changed key), or the revoked key itself.
 */
record HostKeyCheck(Outcome outcome, HostKey presented, List<String> known) {
  enum Outcome { TRUSTED, UNKNOWN, CHANGED, REVOKED }

  HostKeyCheck {
    known = List.copyOf(known);
  }
}
