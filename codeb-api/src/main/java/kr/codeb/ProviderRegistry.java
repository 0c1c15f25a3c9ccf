package kr.codeb;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import kr.codeb.audit.AuditLog;
import kr.codeb.audit.AuditLogFactory;
import kr.codeb.deploy.ReleaseStore;
import kr.codeb.deploy.ReleaseStoreFactory;
import kr.codeb.dns.DnsProvider;
import kr.codeb.dns.DnsProviderFactory;
import kr.codeb.firewall.FirewallProvider;
import kr.codeb.firewall.FirewallProviderFactory;
import kr.codeb.fleet.ServerLink;
import kr.codeb.fleet.ServerLinkFactory;
import kr.codeb.fleet.SshEndpoint;
import kr.codeb.ports.SsotStore;
import kr.codeb.ports.SsotStoreFactory;
import kr.codeb.proxy.ReverseProxy;
import kr.codeb.proxy.ReverseProxyFactory;
import kr.codeb.runtime.ContainerRuntime;
import kr.codeb.runtime.ContainerRuntimeFactory;

/**
 * Finds the provider for a URI, per capability, through {@link ServiceLoader}. Factories of a
 * capability are loaded the first time that capability is asked for, so a command that needs
 * only the SSOT never loads a container engine client.
 *
 * <p>An unknown scheme fails with the list of the schemes that capability knows.
 */
public final class ProviderRegistry {
  /** Where the fleet's servers keep the SSOT. */
  public static final String DEFAULT_SSOT = "/opt/codeb/registry/ssot.json";

  /** How long {@link #serverLink} waits for TCP connect, key exchange and login together. */
  public static final Duration SSH_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private final ClassLoader loader;
  private final UnaryOperator<String> environment;
  private final Map<Class<?>, List<? extends ProviderFactory<?>>> cache;
  private final Optional<ServerLink> server;

  private ProviderRegistry(ClassLoader loader, UnaryOperator<String> environment) {
    this(loader, environment, new ConcurrentHashMap<>(), Optional.empty());
  }

  private ProviderRegistry(ClassLoader loader, UnaryOperator<String> environment,
      Map<Class<?>, List<? extends ProviderFactory<?>>> cache, Optional<ServerLink> server) {
    this.loader = loader;
    this.environment = environment;
    this.cache = cache;
    this.server = server;
  }

  /** A registry over the factories visible to this class's loader, reading the process env. */
  public static ProviderRegistry load() {
    return new ProviderRegistry(ProviderRegistry.class.getClassLoader(), System::getenv);
  }

  /** The same, with an explicit environment (tests, embedding programs). */
  public static ProviderRegistry load(UnaryOperator<String> environment) {
    return new ProviderRegistry(ProviderRegistry.class.getClassLoader(), environment);
  }

  /**
   * The same registry for engines on another server: every provider it opens gets {@code link}
   * as {@link ProviderConfig#server()}, so {@code caddy+http://127.0.0.1:2019} means the
   * server's own loopback (reached through a forward) and {@code docker://} its own engine
   * (through a bridge). The link stays the caller's to close, after the providers.
   */
  public ProviderRegistry on(ServerLink link) {
    return new ProviderRegistry(loader, environment, cache,
        Optional.of(Objects.requireNonNull(link, "link")));
  }

  /** The server the providers of this registry run on, if it is not this machine. */
  public Optional<ServerLink> server() {
    return server;
  }

  /**
   * The SSH transport ({@code codeb-ssh} on the class path), or {@link
   * UnsupportedFeatureException} saying what to add.
   */
  public ServerLinkFactory serverLinks() {
    for (ServerLinkFactory f : ServiceLoader.load(ServerLinkFactory.class, loader)) {
      return f;
    }
    throw new UnsupportedFeatureException("no SSH transport on the class path: add the"
        + " codeb-ssh module to reach other servers");
  }

  /** Opens a link to a server (see {@link ServerLinkFactory#open}); the caller closes it. */
  public ServerLink serverLink(SshEndpoint endpoint) {
    return serverLinks().open(endpoint, environment, SSH_CONNECT_TIMEOUT);
  }

  /**
   * Opens the SSOT store for a URI; a plain path (no scheme) means a file.
   * The store must be closed by the caller.
   */
  public SsotStore ssotStore(String uriOrPath) {
    return open(SsotStoreFactory.class, "ssot", ssotUri(uriOrPath), Map.of());
  }

  /**
   * Opens the release store (deploy locks and release history) that belongs to the SSOT at
   * {@code ssotUriOrPath}: the same location rules as {@link #ssotStore}, chosen by its scheme.
   * The store must be closed by the caller.
   */
  public ReleaseStore releaseStore(String ssotUriOrPath) {
    return open(ReleaseStoreFactory.class, "release store", ssotUri(ssotUriOrPath), Map.of());
  }

  /**
   * Opens the audit log that belongs to the SSOT at {@code ssotUriOrPath} (beside the file, in
   * the database): the same location rules as {@link #ssotStore}. The caller closes it.
   */
  public AuditLog auditLog(String ssotUriOrPath) {
    return open(AuditLogFactory.class, "audit log", ssotUri(ssotUriOrPath), Map.of());
  }

  public ContainerRuntime containerRuntime(String uri) {
    return open(ContainerRuntimeFactory.class, "runtime", parse("runtime", uri), Map.of());
  }

  public ReverseProxy reverseProxy(String uri) {
    return open(ReverseProxyFactory.class, "proxy", parse("proxy", uri), Map.of());
  }

  public DnsProvider dnsProvider(String uri) {
    return open(DnsProviderFactory.class, "dns", parse("dns", uri), Map.of());
  }

  public FirewallProvider firewallProvider(String uri) {
    return open(FirewallProviderFactory.class, "firewall", parse("firewall", uri), Map.of());
  }

  /** Opens a provider of any capability, with explicit credentials. */
  public <T extends AutoCloseable, F extends ProviderFactory<T>> T open(
      Class<F> capability, String what, URI uri, Map<String, Secret> credentials) {
    ProviderConfig config = new ProviderConfig(uri, credentials, environment, server);
    for (ProviderFactory<?> factory : factories(capability)) {
      if (factory.schemes().contains(config.scheme())) {
        return capability.cast(factory).create(config);
      }
    }
    throw new InvalidRequestException("unknown " + what + " scheme " + Checks.quote(config.scheme())
        + " in " + Checks.quote(uri.toString()) + "; known: " + String.join(", ", schemes(capability)));
  }

  /** The schemes known for a capability, sorted. */
  public List<String> schemes(Class<? extends ProviderFactory<?>> capability) {
    TreeSet<String> all = new TreeSet<>();
    factories(capability).forEach(f -> all.addAll(f.schemes()));
    return List.copyOf(all);
  }

  private List<? extends ProviderFactory<?>> factories(Class<? extends ProviderFactory<?>> capability) {
    return cache.computeIfAbsent(capability, c -> {
      List<ProviderFactory<?>> found = new ArrayList<>();
      ServiceLoader.load(c, loader).forEach(f -> found.add((ProviderFactory<?>) f));
      return List.copyOf(found);
    });
  }

  static URI ssotUri(String uriOrPath) {
    if (uriOrPath == null || uriOrPath.isBlank()) {
      throw new InvalidRequestException("no SSOT location given: pass a path or a URI");
    }
    if (Checks.hasUriScheme(uriOrPath)) {
      return parse("ssot", uriOrPath);
    }
    return Path.of(uriOrPath).toAbsolutePath().normalize().toUri();
  }

  private static URI parse(String what, String uri) {
    // "docker://", "vultr://" and "mem:" name a default location; java.net.URI wants
    // something after the scheme, so they become "docker:///" and "mem:///".
    String text = uri.matches("[a-zA-Z][a-zA-Z0-9+.-]*:(//)?([?#].*)?")
        ? uri.replaceFirst(":(//)?", ":///") : uri;
    try {
      URI parsed = new URI(text);
      if (parsed.getScheme() == null) {
        throw new InvalidRequestException(what + " URI " + Checks.quote(Checks.redactedUri(uri))
            + " has no scheme (e.g. docker://, caddy+http://127.0.0.1:2019)");
      }
      return parsed;
    } catch (URISyntaxException e) {
      // The reason and index only: the input may carry a password it should not have.
      throw new InvalidRequestException("malformed " + what + " URI " + Checks.quote(Checks.redactedUri(uri))
          + ": " + e.getReason() + " at index " + e.getIndex());
    }
  }

}
