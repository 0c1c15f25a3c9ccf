package kr.codeb.init.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kr.codeb.db.DbInstance;
import kr.codeb.db.DbKind;
import kr.codeb.firewall.FirewallRule;
import kr.codeb.firewall.FirewallRules;
import kr.codeb.firewall.Protocol;
import kr.codeb.init.InitRequest;
import kr.codeb.init.InitStep;
import kr.codeb.init.InitSystems;
import kr.codeb.init.ProjectDatabases;
import kr.codeb.init.StepAction;
import kr.codeb.init.StepPlan;
import kr.codeb.init.StepResult;
import kr.codeb.model.IpAddress;
import kr.codeb.ports.PortRange;

/**
 * Step 4: in the storage server's firewall group, one TCP rule per database port from the app
 * server's private address (the same rule {@code we db create} makes, so {@code we db remove}
 * knows it too). Created items: {@code rule:<kind>:<port>:<source>}.
 */
public final class FirewallStep implements InitStep {
  private final InitRequest request;
  private final Optional<ProjectDatabases> databases;
  private final Optional<InitSystems.StorageFirewall> firewall;
  private final List<IpAddress> sources;
  /** The journal items of the rules the last plan found missing. */
  private final PlanReads<List<String>> planned = new PlanReads<>();

  public FirewallStep(InitRequest request, Optional<ProjectDatabases> databases,
      Optional<InitSystems.StorageFirewall> firewall, List<IpAddress> sources) {
    this.request = request;
    this.databases = databases;
    this.firewall = firewall;
    this.sources = List.copyOf(sources);
  }

  @Override
  public String id() {
    return "firewall";
  }

  @Override
  public String title() {
    return "storage firewall rule from the app server";
  }

  @Override
  public StepPlan plan() {
    if (request.with().isEmpty()) {
      return StepPlan.of(this, StepAction.UNCHANGED, List.of("no databases to open"));
    }
    if (firewall.isEmpty() || sources.isEmpty()) {
      return StepPlan.of(this, StepAction.UNCHANGED, List.of(firewall.isEmpty()
          ? "the storage server has no firewall group" : "no app server address to allow"));
    }
    List<FirewallRule> existing = firewall.get().provider().rules(firewall.get().group());
    List<String> details = new ArrayList<>();
    boolean missing = false;
    List<String> wanted = new ArrayList<>();
    for (DbKind kind : request.databases()) {
      Optional<DbInstance> db = databases.flatMap(d -> d.find(kind));
      for (IpAddress source : sources) {
        if (db.isEmpty()) {
          missing = true;
          details.add("allow tcp to " + kind + "'s port (made in step 2) from " + source.value());
          continue;
        }
        FirewallRule rule = rule(kind, db.get().port(), source);
        boolean there = existing.stream().anyMatch(r -> FirewallRules.sameTraffic(r, rule));
        missing |= !there;
        if (!there) {
          wanted.add(item(kind, rule));
        }
        details.add((there ? "" : "allow ") + "tcp " + db.get().port() + " from "
            + source.value() + " in group " + firewall.get().group());
      }
    }
    return planned.keep(StepPlan.of(this, missing ? StepAction.CREATE : StepAction.UNCHANGED,
        details), List.copyOf(wanted));
  }

  /**
   * The rules {@code plan} found missing, when this step made it (as {@code InitPlan} does
   * just before), else read again: the journal records them before they are added.
   */
  @Override
  public List<String> intended(StepPlan plan) {
    return planned.of(plan).orElseGet(() -> {
      StepPlan now = plan();
      return planned.of(now).orElse(List.of()); // none kept: nothing to open, nothing missing
    });
  }

  /** Adds the missing rules in one call, which reads the group once for all of them. */
  @Override
  public StepResult apply(StepPlan plan) {
    String group = firewall.get().group();
    Map<FirewallRule, DbKind> rules = new LinkedHashMap<>();
    for (DbKind kind : request.databases()) {
      int port = databases.get().find(kind).orElseThrow(() -> new kr.codeb.NotFoundException(
          "the " + kind + " database of " + request.key() + " is missing on the storage server"))
          .port();
      for (IpAddress source : sources) {
        rules.put(rule(kind, port, source), kind);
      }
    }
    List<String> details = new ArrayList<>();
    List<String> created = new ArrayList<>();
    for (FirewallRule added : firewall.get().provider().allowAll(group,
        List.copyOf(rules.keySet()))) {
      rules.forEach((rule, kind) -> {
        if (FirewallRules.sameTraffic(rule, added)) {
          created.add(item(kind, rule));
        }
      });
      details.add("allowed tcp " + added.ports().orElseThrow().start() + " from "
          + added.subnet().value() + " in group " + group);
    }
    return StepResult.done(plan, details, created);
  }

  @Override
  public List<String> undoPlan(List<String> created, boolean deleteData) {
    if (firewall.isEmpty()) {
      return List.of();
    }
    List<FirewallRule> existing = firewall.get().provider().rules(firewall.get().group());
    List<String> out = new ArrayList<>();
    for (String item : created) {
      FirewallRule rule = parse(item);
      if (existing.stream().anyMatch(r -> FirewallRules.sameTraffic(r, rule))) {
        out.add("revoke tcp " + rule.ports().orElseThrow().start() + " from "
            + rule.subnet().value() + " in group " + firewall.get().group());
      }
    }
    return out;
  }

  @Override
  public List<String> undo(List<String> created, boolean deleteData) {
    List<String> out = new ArrayList<>();
    if (firewall.isEmpty()) {
      return out;
    }
    for (String item : created) {
      FirewallRule rule = parse(item);
      if (firewall.get().provider().revoke(firewall.get().group(), rule)) {
        out.add("revoked tcp " + rule.ports().orElseThrow().start() + " from "
            + rule.subnet().value());
      }
    }
    return out;
  }

  private FirewallRule rule(DbKind kind, int port, IpAddress source) {
    return new FirewallRule(Protocol.TCP, Optional.of(new PortRange(port, port)), source,
        source.isV4() ? 32 : 128, "codeb db " + request.project().value() + "-"
            + request.environment().name() + "-" + kind.id());
  }

  /** The journal item of a rule this step makes: {@code rule:<kind>:<port>:<source>}. */
  private static String item(DbKind kind, FirewallRule rule) {
    return "rule:" + kind.id() + ":" + rule.ports().orElseThrow().start() + ":"
        + rule.subnet().value();
  }

  private FirewallRule parse(String item) {
    String[] parts = item.split(":", 4);
    return rule(DbKind.parse(parts[1]), Integer.parseInt(parts[2]), IpAddress.of(parts[3]));
  }
}
