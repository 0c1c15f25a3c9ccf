package kr.codeb.mcp.internal;

import java.util.Optional;
import kr.codeb.cli.internal.DeployWork;
import kr.codeb.deploy.DeployKey;
import kr.codeb.deploy.DeployLock;

/** {@code lock_show}: {@code we lock show}. */
final class LockShowTool extends CodeBTool {
  @Override
  String name() {
    return "lock_show";
  }

  @Override
  String title() {
    return "Show a project's deploy lock";
  }

  @Override
  String description() {
    return "Show who holds the project's deploy lock, since when, until when, and whether the"
        + " holder is still alive (lock: null when not locked). Needs the SSOT store only.";
  }

  @Override
  Effect effect() {
    return Effect.READ_ONLY;
  }

  @Override
  Schema input() {
    return Fields.projectEnvironment(Schema.input());
  }

  @Override
  Schema output() {
    return Fields.keyOut(Schema.output())
        .out("lock", "null, or {holder, acquired, expires, expired, holderAlive, stale}.",
            "object", "null");
  }

  @Override
  Result call(Params params, ToolCall call) {
    DeployKey key = Fields.key(params);
    Optional<DeployLock> lock;
    try (DeployWork work = call.services().openLocks(key)) {
      lock = work.releases().currentLock(key);
    }
    return new Result(call.json().lock(key, lock), key + ": " + lock.map(l -> "locked by "
        + l.holder() + " until " + l.expires()).orElse("not locked"));
  }
}
