package kr.codeb.db.internal;

import java.time.Duration;
import java.util.Optional;
import kr.codeb.db.StorageServer;
import kr.codeb.fleet.ServerLink;

/** The data volumes' size on disk, asked of the storage server (the engine API does not say). */
public final class Volumes {
  private Volumes() {}

  /** The volume's size in bytes ({@code du} of its mount point), empty when it cannot tell. */
  public static Optional<Long> size(StorageServer s, String volume) {
    String command = "du -sb \"$(" + s.engineCli() + " volume inspect -f '{{.Mountpoint}}' "
        + Shell.quote(volume) + ")\" | cut -f1";
    try {
      ServerLink.CommandResult r = s.link().run(command, Duration.ofSeconds(30));
      String out = r.stdout().strip();
      return r.succeeded() && out.matches("[0-9]{1,18}") ? Optional.of(Long.parseLong(out))
          : Optional.empty();
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
