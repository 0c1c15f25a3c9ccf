package kr.codeb.init;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import kr.codeb.InvalidRequestException;
import kr.codeb.deploy.DeployContext;
import kr.codeb.dns.DnsProvider;
import kr.codeb.env.EnvFileStore;
import kr.codeb.firewall.FirewallProvider;
import kr.codeb.fleet.Server;
import kr.codeb.model.IpAddress;
import kr.codeb.ports.PortProbe;
import kr.codeb.ports.SsotStore;
import kr.codeb.proxy.ReverseProxy;

/**
 * The systems the standard steps act on, opened (and later closed) by the caller.
 *
 * @param databases the storage server's databases; needed when the request asks for any
 * @param firewall the storage server's firewall group and provider; empty when the storage
 *     server has no firewall group (the firewall step then has nothing to do)
 * @param firewallSources the addresses allowed to reach the databases (the app server's private
 *     address)
 * @param upstreamAddress where the edge reaches the app server's published ports
 * @param dnsAddresses what the domain's A/AAAA records point at (the edge's public address)
 * @param runnerLabels the self-hosted runner labels the workflow runs on
 * @param tls where the TLS step asks for the certificate; empty skips the wait
 * @param deploy opens the app server's runtime, proxy and release store for the first deploy
 *     of {@code --image}, when that step first needs them (called more than once, it should
 *     return the same context)
 * @param appPorts the host ports already in use on the project's app servers (published by
 *     containers there); the ports step never allocates one of them. Asked only when it
 *     allocates, so a project that holds its ports never opens the app servers' engines
 */
public record InitSystems(SsotStore ssot, EnvFileStore envFiles, DnsProvider dns,
    ReverseProxy proxy, Optional<ProjectDatabases> databases,
    Optional<StorageFirewall> firewall, List<IpAddress> firewallSources,
    IpAddress upstreamAddress, List<IpAddress> dnsAddresses, List<String> runnerLabels,
    Optional<TlsEndpoint> tls, Optional<Supplier<DeployContext>> deploy, PortProbe appPorts) {

  /** The storage server's firewall group and the provider that holds it. */
  public record StorageFirewall(FirewallProvider provider, String group) {
    public StorageFirewall {
      Objects.requireNonNull(provider, "provider");
      Objects.requireNonNull(group, "group");
    }
  }

  public InitSystems {
    Objects.requireNonNull(ssot, "ssot");
    Objects.requireNonNull(envFiles, "envFiles");
    Objects.requireNonNull(dns, "dns");
    Objects.requireNonNull(proxy, "proxy");
    Objects.requireNonNull(databases, "databases");
    Objects.requireNonNull(firewall, "firewall");
    firewallSources = List.copyOf(firewallSources);
    Objects.requireNonNull(upstreamAddress, "upstreamAddress");
    dnsAddresses = List.copyOf(dnsAddresses);
    if (dnsAddresses.isEmpty()) {
      throw new InvalidRequestException("no address for the domain's records: give the edge"
          + " server's public address");
    }
    runnerLabels = List.copyOf(runnerLabels);
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(deploy, "deploy");
    Objects.requireNonNull(appPorts, "appPorts");
  }

  public static Builder builder(SsotStore ssot, EnvFileStore envFiles, DnsProvider dns,
      ReverseProxy proxy) {
    return new Builder(ssot, envFiles, dns, proxy);
  }

  /**
   * Every optional part defaulted: no databases, no firewall, loopback upstream, no TLS wait,
   * no deploy, no port in use outside the SSOT.
   */
  public static final class Builder {
    private final SsotStore ssot;
    private final EnvFileStore envFiles;
    private final DnsProvider dns;
    private final ReverseProxy proxy;
    private Optional<ProjectDatabases> databases = Optional.empty();
    private Optional<StorageFirewall> firewall = Optional.empty();
    private List<IpAddress> sources = List.of();
    private IpAddress upstream = Server.LOOPBACK;
    private List<IpAddress> dnsAddresses = List.of();
    private List<String> runnerLabels = List.of();
    private Optional<TlsEndpoint> tls = Optional.empty();
    private Optional<Supplier<DeployContext>> deploy = Optional.empty();
    private PortProbe appPorts = PortProbe.NONE;

    private Builder(SsotStore ssot, EnvFileStore envFiles, DnsProvider dns, ReverseProxy proxy) {
      this.ssot = ssot;
      this.envFiles = envFiles;
      this.dns = dns;
      this.proxy = proxy;
    }

    public Builder databases(ProjectDatabases d) {
      this.databases = Optional.of(d);
      return this;
    }

    public Builder storageFirewall(FirewallProvider provider, String group,
        List<IpAddress> from) {
      this.firewall = Optional.of(new StorageFirewall(provider, group));
      this.sources = List.copyOf(from);
      return this;
    }

    public Builder upstreamAddress(IpAddress a) {
      this.upstream = a;
      return this;
    }

    public Builder dnsAddresses(List<IpAddress> a) {
      this.dnsAddresses = List.copyOf(a);
      return this;
    }

    public Builder runnerLabels(List<String> labels) {
      this.runnerLabels = List.copyOf(labels);
      return this;
    }

    public Builder tls(TlsEndpoint endpoint) {
      this.tls = Optional.ofNullable(endpoint);
      return this;
    }

    /** The first deploy's engines, already open. */
    public Builder deploy(DeployContext context) {
      Objects.requireNonNull(context, "context");
      this.deploy = Optional.of(() -> context);
      return this;
    }

    /** The first deploy's engines, opened by {@code opener} when the deploy step needs them. */
    public Builder deployOpenedBy(Supplier<DeployContext> opener) {
      this.deploy = Optional.of(Objects.requireNonNull(opener, "opener"));
      return this;
    }

    /** Without it, no port is known to be in use outside the SSOT. */
    public Builder appPorts(PortProbe probe) {
      this.appPorts = Objects.requireNonNull(probe, "probe");
      return this;
    }

    public InitSystems build() {
      return new InitSystems(ssot, envFiles, dns, proxy, databases, firewall, sources, upstream,
          dnsAddresses, runnerLabels, tls, deploy, appPorts);
    }
  }
}
