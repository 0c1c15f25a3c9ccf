package kr.codeb.cli.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import kr.codeb.deploy.DeployKey;
import kr.codeb.deploy.DeployLock;
import kr.codeb.deploy.LockHolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code we lock show|break PROJECT --env ENV}: the project's deploy lock. Needs only the SSOT
 * (to check the environment and to find the release store), never an engine.
 */
@Command(
    name = "lock", header = "Show or break a project's deploy lock.",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "A project's deploy lock: show who holds it, or break a stale one.")
final class LockCommand implements Callable<Integer> {
  private final Session session;

  LockCommand(Session session) {
    this.session = session;
  }

  @Override
  public Integer call() {
    return session.missingSubcommand("we lock");
  }

  @Command(
      name = "show", header = "Show who holds a project's deploy lock.",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      description = "Show who holds the project's deploy lock, since when and until when.")
  static final class Show implements Callable<Integer> {
    private final Session session;

    @Mixin ProjectEnvOptions target;

    Show(Session session) {
      this.session = session;
    }

    @Override
    public Integer call() {
      DeployKey key = target.key();
      Optional<DeployLock> lock;
      try (DeployProviders providers = DeployProviders.forLocks(session, key.environment())) {
        lock = providers.releases().currentLock(key);
      }
      if (session.json()) {
        session.printJson(new DeployJson(session.jsonOutput()).lock(key, lock));
      } else if (lock.isEmpty()) {
        session.out().println(key + ": not locked");
      } else {
        DeployLock l = lock.get();
        session.out().println(key + ": locked by " + l.holder() + " since " + l.acquired()
            + (l.isExpired(Instant.now()) ? " (expired at " + l.expires() + ")"
                : " until " + l.expires())
            + LockHolder.explain(l.holder()).map(e -> "; " + e + (e.startsWith("stale")
                ? ": `we lock break " + key.project() + " --env " + key.environment() + "`"
                : "")).orElse(""));
      }
      return 0;
    }
  }

  @Command(
      name = "break", header = "Break a project's deploy lock (when its holder is gone).",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      description = {"Remove the project's deploy lock, whoever holds it. Use it only when that",
          "deploy is gone. Idempotent."})
  static final class Break implements Callable<Integer> {
    private final Session session;

    @Mixin ProjectEnvOptions target;

    Break(Session session) {
      this.session = session;
    }

    @Override
    public Integer call() {
      DeployKey key = target.key();
      boolean broken;
      try (DeployProviders providers = DeployProviders.forLocks(session, key.environment())) {
        broken = providers.releases().breakLock(key);
      }
      if (session.json()) {
        ObjectNode n = new DeployJson(session.jsonOutput()).key(key);
        n.put("broken", broken);
        session.printJson(n);
      } else {
        session.out().println(key + ": " + (broken ? "lock broken" : "was not locked"));
      }
      return 0;
    }
  }
}
