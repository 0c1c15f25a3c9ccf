package kr.codeb.deploy.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import kr.codeb.CodeBException;
import kr.codeb.deploy.DeployContext;
import kr.codeb.deploy.DeployKey;
import kr.codeb.deploy.ReleaseOutcome;
import kr.codeb.deploy.ReleaseRecord;
import kr.codeb.runtime.ContainerInfo;

/**
 * Keeps the images of a project's last N releases (for rollback to an older release) and
 * removes the images of older ones, never one a container still uses.
 */
public final class ImagePruner {
  private final DeployContext ctx;
  private final DeployKey key;

  public ImagePruner(DeployContext ctx, DeployKey key) {
    this.ctx = ctx;
    this.key = key;
  }

  /**
   * Removes old release images that no container on the engine uses; returns the ones removed.
   * Failures are skipped, not fatal.
   */
  public List<String> prune(int keep) {
    List<ReleaseRecord> history = new ArrayList<>(ctx.releases().history(key));
    Set<String> newestFirst = new LinkedHashSet<>();
    for (int i = history.size() - 1; i >= 0; i--) {
      ReleaseRecord r = history.get(i);
      if (r.outcome() == ReleaseOutcome.DEPLOYED || r.outcome() == ReleaseOutcome.STAGED) {
        newestFirst.add(r.image());
      }
    }
    // Any container on the engine, not only this project's: another project or environment
    // may run the same image, and Docker would let us untag it under a running container.
    Set<String> inUse = new LinkedHashSet<>();
    for (ContainerInfo c : ctx.runtime().list(Map.of())) {
      inUse.add(c.image());
    }
    List<String> removed = new ArrayList<>();
    int kept = 0;
    for (String image : newestFirst) {
      if (kept < keep || inUse.contains(image)) {
        kept++;
        continue;
      }
      try {
        if (ctx.runtime().removeImage(image)) {
          removed.add(image);
        }
      } catch (CodeBException stillUsedOrGone) {
        // Another project's container may use the same image: keeping it is the safe side.
      }
    }
    return removed;
  }
}
