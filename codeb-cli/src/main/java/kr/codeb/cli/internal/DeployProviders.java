package kr.codeb.cli.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import kr.codeb.InvalidRequestException;
import kr.codeb.ProviderRegistry;
import kr.codeb.deploy.DeployContext;
import kr.codeb.deploy.Deployments;
import kr.codeb.deploy.ReleaseStore;
import kr.codeb.fleet.Role;
import kr.codeb.fleet.Server;
import kr.codeb.model.Environment;
import kr.codeb.model.IpAddress;
import kr.codeb.ports.PortOperations;
import kr.codeb.ports.SsotStore;
import kr.codeb.proxy.ReverseProxy;
import kr.codeb.runtime.ContainerRuntime;

/**
 * The providers one deploy verb works on, opened in a safe order and closed together: first
 * the URIs are resolved (a missing runtime or proxy is bad input, exit 2, before anything is
 * opened), then the SSOT is opened and the environment checked against it, then the release
 * store, the runtime and the proxy.
 */
final class DeployProviders implements AutoCloseable {
  private final List<AutoCloseable> opened = new ArrayList<>();
  private SsotStore ssot;
  private ReleaseStore releases;
  private ContainerRuntime runtime;
  private ReverseProxy proxy;
  private IpAddress publishAddress = Server.LOOPBACK;
  private IpAddress upstreamAddress = Server.LOOPBACK;

  private DeployProviders() {}

  /** The SSOT, the release store, the runtime and the proxy; {@code env} is checked first. */
  static DeployProviders forDeploy(Session session, Environment env) {
    return open(session, env, true, true);
  }

  /** The SSOT and the release store only (locks need no engine). */
  static DeployProviders forLocks(Session session, Environment env) {
    return open(session, env, false, false);
  }

  /** The proxy only. */
  static DeployProviders forRoutes(Session session) {
    return open(session, null, false, true);
  }

  private static DeployProviders open(Session session, Environment env, boolean needRuntime,
      boolean needProxy) {
    ProviderUris uris = session.providers();
    String runtimeUri = needRuntime ? required(uris.runtime(), "container runtime", "--runtime",
        "CODEB_RUNTIME", "runtime", "docker://") : null;
    String proxyUri = needProxy ? required(uris.proxy(), "reverse proxy", "--proxy",
        "CODEB_PROXY", "proxy", "caddy+http://127.0.0.1:2019") : null;
    ProviderRegistry registry = session.registry();
    DeployProviders p = new DeployProviders();
    try {
      if (env != null) {
        p.ssot = p.open(session, "ssot", uris.ssot(), SsotStore.class,
            () -> registry.ssotStore(uris.ssot()));
        PortOperations.requireProjectEnvironment(p.ssot.read(), env);
        p.releases = p.track(registry.releaseStore(uris.ssot()));
      }
      if (runtimeUri != null) {
        p.runtime = p.open(session, "runtime", runtimeUri, ContainerRuntime.class,
            () -> registry.containerRuntime(runtimeUri));
      }
      if (proxyUri != null) {
        p.proxy = p.open(session, "proxy", proxyUri, ReverseProxy.class,
            () -> registry.reverseProxy(proxyUri));
      }
      List<Server> apps = session.config().topology().withRole(Role.APP);
      if (apps.size() == 1) {
        Server app = apps.get(0);
        p.publishAddress = app.publishAddress();
        p.upstreamAddress = app.has(Role.EDGE) ? Server.LOOPBACK : app.privateAddress();
      }
      return p;
    } catch (RuntimeException e) {
      p.closeQuietly(e);
      throw e;
    }
  }

  private static String required(Optional<String> uri, String what, String flag, String variable,
      String configKey, String example) {
    return uri.filter(u -> !u.isBlank()).orElseThrow(() -> new InvalidRequestException(
        "no " + what + " given: pass " + flag + " URI (e.g. " + flag + " " + example
            + "), or set " + variable + ", or providers." + configKey + " in the config file"));
  }

  /**
   * A provider for this command: from the daemon's pool when the session has one (given back
   * when this closes), else a new one that this closes.
   */
  private <T extends AutoCloseable> T open(Session session, String kind, String uri,
      Class<T> type, Supplier<T> opener) {
    ProviderPool.Scope pool = session.pool();
    if (pool == null) {
      return track(opener.get());
    }
    return track(pool.lease(kind, uri, type, opener)).get();
  }

  private <T extends AutoCloseable> T track(T provider) {
    opened.add(provider);
    return provider;
  }

  SsotStore ssot() {
    return ssot;
  }

  ReleaseStore releases() {
    return releases;
  }

  ReverseProxy proxy() {
    return proxy;
  }

  DeployContext context() {
    return new DeployContext(ssot, runtime, proxy, releases, publishAddress, upstreamAddress);
  }

  Deployments deployments() {
    return new Deployments(context());
  }

  @Override
  public void close() {
    RuntimeException first = null;
    for (int i = opened.size() - 1; i >= 0; i--) {
      try {
        opened.get(i).close();
      } catch (Exception e) {
        if (first == null) {
          first = e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
      }
    }
    opened.clear();
    if (first != null) {
      throw first;
    }
  }

  private void closeQuietly(RuntimeException cause) {
    try {
      close();
    } catch (RuntimeException e) {
      cause.addSuppressed(e);
    }
  }
}
