package kr.codeb.cli.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import kr.codeb.deploy.DeployKey;
import kr.codeb.deploy.DeployLock;
import kr.codeb.deploy.DeployResult;
import kr.codeb.deploy.LockHolder;
import kr.codeb.deploy.ReleaseRecord;
import kr.codeb.deploy.ServerSlot;
import kr.codeb.deploy.SlotReport;
import kr.codeb.deploy.SlotState;
import kr.codeb.deploy.SwitchResult;
import kr.codeb.model.Slot;
import kr.codeb.proxy.Route;
import kr.codeb.runtime.ContainerInfo;

/** The JSON shapes of the deploy verbs (stable; documented in the README's `we` reference). */
final class DeployJson {
  /** How many history lines {@code we slot} shows. */
  static final int HISTORY_LINES = 10;

  private final JsonOutput json;

  DeployJson(JsonOutput json) {
    this.json = json;
  }

  ObjectNode key(DeployKey key) {
    ObjectNode n = json.object();
    n.put("project", key.project().value());
    n.put("environment", key.environment().name());
    return n;
  }

  ObjectNode deploy(DeployResult r) {
    ObjectNode n = key(r.key());
    n.put("outcome", r.outcome().id());
    n.put("release", r.release());
    n.put("image", r.image());
    n.put("slot", r.slot().id());
    n.put("port", r.port());
    slot(n, "live", r.liveSlot());
    text(n, "reason", r.reason());
    text(n, "logTail", r.logTail());
    n.put("elapsedMs", r.elapsed().toMillis());
    return n;
  }

  ObjectNode switched(SwitchResult r) {
    ObjectNode n = key(r.key());
    slot(n, "from", r.from());
    n.put("to", r.to().id());
    n.put("port", r.port());
    n.put("image", r.image());
    n.put("release", r.release());
    n.put("changed", r.changed());
    text(n, "environmentNote", r.environment());
    return n;
  }

  ObjectNode slots(SlotReport report) {
    ObjectNode n = key(report.key());
    slot(n, "live", report.live());
    ArrayNode hosts = n.putArray("hosts");
    report.hosts().forEach(hosts::add);
    ArrayNode slots = n.putArray("slots");
    for (SlotState s : report.slots()) {
      ObjectNode o = slots.addObject();
      o.put("slot", s.slot().id());
      o.put("port", s.port());
      o.put("live", s.live());
      if (s.container().isPresent()) {
        o.set("container", container(s.container().get()));
      } else {
        o.putNull("container");
      }
      text(o, "release", s.release());
      text(o, "note", emptyNote(s));
      workers(o.putArray("workers"), s.workers());
      ArrayNode servers = o.putArray("servers");
      for (ServerSlot on : s.servers()) {
        ObjectNode e = servers.addObject();
        e.put("server", on.server());
        if (on.container().isPresent()) {
          e.set("container", container(on.container().get()));
        } else {
          e.putNull("container");
        }
        text(e, "release", on.release());
        workers(e.putArray("workers"), on.workers());
      }
    }
    ArrayNode history = n.putArray("history");
    lastHistory(report).forEach(r -> history.add(record(r)));
    return n;
  }

  private void workers(ArrayNode workers, List<ContainerInfo> of) {
    for (ContainerInfo w : of) {
      ObjectNode c = container(w);
      c.put("process", w.labels().getOrDefault("codeb.process", ""));
      c.put("release", w.labels().getOrDefault("codeb.release", ""));
      workers.add(c);
    }
  }

  ObjectNode lock(DeployKey key, Optional<DeployLock> lock) {
    ObjectNode n = key(key);
    if (lock.isEmpty()) {
      n.putNull("lock");
      return n;
    }
    DeployLock l = lock.get();
    ObjectNode o = n.putObject("lock");
    o.put("holder", l.holder());
    o.put("acquired", l.acquired().toString());
    o.put("expires", l.expires().toString());
    o.put("expired", l.isExpired(Instant.now()));
    LockHolder.Liveness alive = LockHolder.liveness(l.holder());
    if (alive == LockHolder.Liveness.ALIVE || alive == LockHolder.Liveness.DEAD) {
      o.put("holderAlive", alive == LockHolder.Liveness.ALIVE);
    } else {
      o.putNull("holderAlive");
    }
    o.put("stale", alive == LockHolder.Liveness.DEAD);
    return n;
  }

  ObjectNode routes(List<Route> routes) {
    ObjectNode n = json.object();
    ArrayNode array = n.putArray("routes");
    for (Route r : routes) {
      ObjectNode o = array.addObject();
      o.put("id", r.id());
      ArrayNode hosts = o.putArray("hosts");
      r.hosts().forEach(hosts::add);
      o.put("upstream", r.upstream().dial());
      ArrayNode upstreams = o.putArray("upstreams");
      r.upstreams().forEach(u -> upstreams.add(u.dial()));
    }
    return n;
  }

  /**
   * What an idle slot without a container means: nothing is wrong, a deploy that was stopped
   * while replacing it (or a removal by hand) left it empty, and the next deploy fills it.
   */
  static Optional<String> emptyNote(SlotState s) {
    if (s.container().isPresent()) {
      return Optional.empty();
    }
    return Optional.of(s.live()
        ? "empty, yet traffic goes to it: deploy again (or `we rollback`) to give it a container"
        : "empty: no container (a deploy stopped while replacing it, or a removal by hand, left"
            + " it so); the next deploy fills it, nothing else is needed");
  }

  static List<ReleaseRecord> lastHistory(SlotReport report) {
    List<ReleaseRecord> all = report.history();
    return all.subList(Math.max(0, all.size() - HISTORY_LINES), all.size());
  }

  private ObjectNode container(ContainerInfo c) {
    ObjectNode o = json.object();
    o.put("id", c.id().value());
    o.put("name", c.name());
    o.put("image", c.image());
    o.put("state", c.state().name().toLowerCase(Locale.ROOT));
    o.put("health", c.health().name().toLowerCase(Locale.ROOT));
    return o;
  }

  private ObjectNode record(ReleaseRecord r) {
    ObjectNode o = json.object();
    o.put("time", r.time().toString());
    o.put("release", r.release());
    o.put("actor", r.actor());
    o.put("image", r.image());
    o.put("slot", r.slot().id());
    o.put("port", r.port());
    o.put("outcome", r.outcome().id());
    o.put("message", r.message());
    return o;
  }

  private static void slot(ObjectNode n, String field, Optional<Slot> slot) {
    if (slot.isPresent()) {
      n.put(field, slot.get().id());
    } else {
      n.putNull(field);
    }
  }

  private static void text(ObjectNode n, String field, Optional<String> value) {
    if (value.isPresent()) {
      n.put(field, value.get());
    } else {
      n.putNull(field);
    }
  }
}
