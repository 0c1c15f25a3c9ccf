package kr.codeb.audit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import kr.codeb.ProviderInfo;
import kr.codeb.model.ProjectName;
import kr.codeb.ports.Allocation;
import kr.codeb.ports.PortChange;
import kr.codeb.ports.PortRange;
import kr.codeb.ports.ProjectPorts;
import kr.codeb.ports.Registry;
import kr.codeb.ports.RegistryEdit;
import kr.codeb.ports.RepairReport;
import kr.codeb.ports.Revision;
import kr.codeb.ports.ServicePort;
import kr.codeb.ports.SlotPorts;

/**
 * The audit entries of one SSOT edit, for the stores to append: what changed, from the edit,
 * its outcome and the registry it was applied to. An edit that changed nothing has none.
 *
 * <ul>
 *   <li>An allocation that created ports: target {@code ssot:project/NAME/ENV}, before
 *       {@code null}, after {@code {"blue":B,"green":G}}.
 *   <li>A release that freed ports: the same target, before the pair the registry held, after
 *       {@code null}.
 *   <li>A repair: one entry per changed record of {@code ports.allocated}, target
 *       {@code ssot:ports.allocated/PORT}, before and after the record's owner
 *       ({@code {"project":..,"slot":..,"environment":..}}) or {@code null}.
 *   <li>A range set: target {@code ssot:portRanges/NAME}, before and after
 *       {@code {"start":S,"end":E}} (before {@code null} for a new name).
 *   <li>A storage service's port taken or given back: target
 *       {@code ssot:project/NAME/ENV/SERVICE}, {@code {"port":P}} after a claim.
 * </ul>
 * Unknown fields of the document are not copied into entries.
 */
public final class SsotAudit {
  private SsotAudit() {}

  /**
   * @param before the registry the edit was applied to (for a release: where the freed pair is
   *     read from)
   * @param store the store that wrote the change
   */
  public static List<AuditEntry> entries(RegistryEdit<?> edit, Object outcome, Registry before,
      ProviderInfo store, Instant time, AuditContext context) {
    Objects.requireNonNull(edit, "edit");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(before, "before");
    Builder b = new Builder(store, time, context);
    if (edit instanceof RegistryEdit.Allocate && outcome instanceof ProjectPorts p && p.created()) {
      b.add(projectTarget(p.project(), p.environment().name()), "allocate",
          Optional.of(p.project()), "null", ports(p.ports()));
    } else if (edit instanceof RegistryEdit.Release r && Boolean.TRUE.equals(outcome)) {
      String held = before.ports(r.project(), r.environment()).map(SsotAudit::ports).orElse("null");
      b.add(projectTarget(r.project(), r.environment().name()), "release",
          Optional.of(r.project()), held, "null");
    } else if (edit instanceof RegistryEdit.SetRange r && Boolean.TRUE.equals(outcome)) {
      b.add("ssot:portRanges/" + r.name(), "range", Optional.empty(),
          before.range(r.name()).map(SsotAudit::range).orElse("null"), range(r.range()));
    } else if (edit instanceof RegistryEdit.ClaimServicePort c
        && outcome instanceof ServicePort s && s.created()) {
      b.add(serviceTarget(c.project(), c.environment().name(), c.service()), "claim",
          Optional.of(c.project()), "null", "{\"port\":" + s.port() + "}");
    } else if (edit instanceof RegistryEdit.ReleaseServicePort r
        && Boolean.TRUE.equals(outcome)) {
      b.add(serviceTarget(r.project(), r.environment().name(), r.service()), "release",
          Optional.of(r.project()), "{\"held\":true}", "null");
    } else if (edit instanceof RegistryEdit.Place p && Boolean.TRUE.equals(outcome)) {
      List<String> was = before.project(p.project()).map(e -> e.placement(p.environment()))
          .orElse(List.of());
      b.add(projectTarget(p.project(), p.environment().name()) + "/placement", "place",
          Optional.of(p.project()), was.isEmpty() ? "null" : servers(was), servers(p.servers()));
    } else if (edit instanceof RegistryEdit.Repair && outcome instanceof RepairReport report) {
      for (PortChange change : report.changes()) {
        Optional<ProjectName> project = change.after().or(change::before).map(Allocation::project);
        b.add("ssot:ports.allocated/" + change.port(), "repair", project,
            change.before().map(SsotAudit::owner).orElse("null"),
            change.after().map(SsotAudit::owner).orElse("null"));
      }
    }
    return b.entries;
  }

  /** {@code {"servers":["app1","app2"]}}. */
  private static String servers(List<String> names) {
    return "{\"servers\":[" + String.join(",", names.stream().map(SsotAudit::quote).toList())
        + "]}";
  }

  /**
   * The entry of a whole document stored by {@code we ssot migrate}: target
   * {@code ssot:document}, before and after {@code {"revision":..}} ({@code null} before when
   * the store held none).
   */
  public static AuditEntry importEntry(Optional<Revision> before,
      Revision after, ProviderInfo store, Instant time, AuditContext context) {
    Builder b = new Builder(store, time, context);
    b.add("ssot:document", "import", Optional.empty(),
        before.map(r -> "{\"revision\":" + quote(r.value()) + "}").orElse("null"),
        "{\"revision\":" + quote(after.value()) + "}");
    return b.entries.get(0);
  }

  private static String projectTarget(ProjectName project, String environment) {
    return "ssot:project/" + project.value() + "/" + environment;
  }

  private static String serviceTarget(ProjectName project, String environment, String service) {
    return projectTarget(project, environment) + "/" + service;
  }

  private static String range(PortRange r) {
    return "{\"start\":" + r.start() + ",\"end\":" + r.end() + "}";
  }

  private static String ports(SlotPorts ports) {
    return "{\"blue\":" + ports.blue() + ",\"green\":" + ports.green() + "}";
  }

  private static String owner(Allocation a) {
    return "{\"project\":" + quote(a.project().value()) + ",\"slot\":" + quote(a.slot().id())
        + a.environment().map(e -> ",\"environment\":" + quote(e.name())).orElse("") + "}";
  }

  private static String quote(String s) {
    return kr.codeb.audit.internal.JsonText.quote(s);
  }

  private static final class Builder {
    private final ProviderInfo store;
    private final Instant time;
    private final AuditContext context;
    private final List<AuditEntry> entries = new ArrayList<>();

    Builder(ProviderInfo store, Instant time, AuditContext context) {
      this.store = Objects.requireNonNull(store, "store");
      this.time = Objects.requireNonNull(time, "time");
      this.context = Objects.requireNonNull(context, "context");
    }

    void add(String target, String action, Optional<ProjectName> project, String before,
        String after) {
      entries.add(new AuditEntry(time, context.actor(), context.command(), store.id(), target,
          action, project, before, after));
    }
  }
}
