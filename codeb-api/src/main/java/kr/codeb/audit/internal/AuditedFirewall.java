package kr.codeb.audit.internal;

import java.util.List;
import java.util.Optional;
import kr.codeb.ProviderInfo;
import kr.codeb.firewall.FirewallProvider;
import kr.codeb.firewall.FirewallRule;

/** A {@link FirewallProvider} that records the rules it adds and removes. */
public final class AuditedFirewall implements FirewallProvider {
  private final FirewallProvider delegate;
  private final AuditWriter audit;

  public AuditedFirewall(FirewallProvider delegate, AuditWriter audit) {
    this.delegate = delegate;
    this.audit = audit;
  }

  @Override
  public ProviderInfo info() {
    return delegate.info();
  }

  @Override
  public List<FirewallRule> rules(String group) {
    return delegate.rules(group);
  }

  /** One rule through {@link #allowAll}, so that only a rule really added is recorded. */
  @Override
  public FirewallRule allow(String group, FirewallRule rule) {
    List<FirewallRule> added = allowAll(group, List.of(rule));
    return added.isEmpty() ? delegate.allow(group, rule) : added.get(0);
  }

  @Override
  public List<FirewallRule> allowAll(String group, List<FirewallRule> rules) {
    List<FirewallRule> added = delegate.allowAll(group, rules);
    for (FirewallRule rule : added) {
      audit.record(delegate.info().id(), target(group, rule), "create", Optional.empty(), null,
          json(rule));
    }
    return added;
  }

  @Override
  public boolean revoke(String group, FirewallRule rule) {
    boolean revoked = delegate.revoke(group, rule);
    if (revoked) {
      audit.record(delegate.info().id(), target(group, rule), "delete", Optional.empty(),
          json(rule), null);
    }
    return revoked;
  }

  @Override
  public void close() {
    delegate.close();
  }

  static String target(String group, FirewallRule r) {
    return "firewall:" + group + "/" + r.protocol().id()
        + r.ports().map(p -> "/" + p.start() + (p.end() == p.start() ? "" : "-" + p.end()))
            .orElse("")
        + "/" + r.subnet().value() + "/" + r.prefix();
  }

  static JsonText json(FirewallRule r) {
    JsonText j = JsonText.object().put("protocol", r.protocol().id());
    r.ports().ifPresent(p -> j.put("ports", p.start() + (p.end() == p.start() ? ""
        : "-" + p.end())));
    return j.put("source", r.subnet().value() + "/" + r.prefix()).put("note", r.note());
  }
}
