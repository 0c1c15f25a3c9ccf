package kr.codeb.audit;

import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import kr.codeb.audit.internal.AuditWriter;
import kr.codeb.audit.internal.AuditedDns;
import kr.codeb.audit.internal.AuditedEnvFiles;
import kr.codeb.audit.internal.AuditedFirewall;
import kr.codeb.audit.internal.AuditedProxy;
import kr.codeb.audit.internal.AuditedRuntime;
import kr.codeb.dns.DnsProvider;
import kr.codeb.env.EnvFileStore;
import kr.codeb.firewall.FirewallProvider;
import kr.codeb.model.ProjectName;
import kr.codeb.proxy.ReverseProxy;
import kr.codeb.runtime.ContainerRuntime;

/**
 * Wraps providers so that every change they make to their system is appended to an
 * {@link AuditLog}, with the actor and command of {@link AuditContext#current()}: whoever
 * changes the fleet through a wrapped provider (a deploy, a domain, {@code doctor --fix}, the
 * MCP server) is recorded without knowing about the log.
 *
 * <p>What each wrapper records (targets with a kind prefix; before and after as JSON, never a
 * secret value):
 * <ul>
 *   <li>runtime: {@code container:NAME} create (image, labels, env <em>names</em>, ports,
 *       volumes), start, stop, delete, run-once, exec (the program's name only);
 *       {@code image:REF} and {@code volume:NAME} delete;
 *   <li>proxy: {@code route:ID} create, update, switch, delete, maintenance-on/off;
 *       {@code proxy:settings} update;
 *   <li>DNS: {@code zone:NAME} create; {@code record:ZONE/NAME/TYPE} create, update, delete;
 *   <li>firewall: {@code firewall:GROUP/PROTO/PORTS/SOURCE/PREFIX} create, delete;
 *   <li>env files: {@code env:LOCATION} create, update (keys added, changed, removed), delete.
 * </ul>
 * A call that changed nothing (an idempotent repeat) is not recorded. Reads pass through. The
 * wrappers do a read before a change to know the before (one extra call per change). The
 * change is made even if its entry cannot be stored; that failure goes to {@code onFailure}.
 * Closing a wrapper closes the provider it wraps, never the log.
 */
public final class AuditedProviders {
  private final AuditWriter writer;

  /**
   * @param projectOf the project a container, route or volume name belongs to (for
   *     {@code we audit --project}); labels win over it for containers
   * @param onFailure told when an entry could not be appended (the change was made)
   */
  public AuditedProviders(AuditLog log, Clock clock,
      Function<String, Optional<ProjectName>> projectOf, Consumer<RuntimeException> onFailure) {
    this.writer = new AuditWriter(log, clock, projectOf, onFailure);
  }

  public ContainerRuntime runtime(ContainerRuntime runtime) {
    return runtime instanceof AuditedRuntime ? runtime
        : new AuditedRuntime(Objects.requireNonNull(runtime, "runtime"), writer);
  }

  public ReverseProxy proxy(ReverseProxy proxy) {
    return proxy instanceof AuditedProxy ? proxy
        : new AuditedProxy(Objects.requireNonNull(proxy, "proxy"), writer);
  }

  public DnsProvider dns(DnsProvider dns) {
    return dns instanceof AuditedDns ? dns
        : new AuditedDns(Objects.requireNonNull(dns, "dns"), writer);
  }

  public FirewallProvider firewall(FirewallProvider firewall) {
    return firewall instanceof AuditedFirewall ? firewall
        : new AuditedFirewall(Objects.requireNonNull(firewall, "firewall"), writer);
  }

  public EnvFileStore envFiles(EnvFileStore store) {
    return store instanceof AuditedEnvFiles ? store
        : new AuditedEnvFiles(Objects.requireNonNull(store, "store"), writer);
  }

  /**
   * Records a change made outside the wrapped providers (a database user, say), the same way.
   *
   * @param before JSON text, or null when the target did not exist
   * @param after JSON text, or null when the target was removed
   */
  public void record(String provider, String target, String action,
      Optional<ProjectName> project, String before, String after) {
    writer.record(provider, target, action, project, before, after);
  }
}
