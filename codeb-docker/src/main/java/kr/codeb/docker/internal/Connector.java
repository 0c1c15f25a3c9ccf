package kr.codeb.docker.internal;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import kr.codeb.UnavailableException;
import kr.codeb.docker.DockerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the docker-java client lazily, on first use. With an explicit host it just connects;
 * in auto mode it tries {@code DOCKER_HOST}, then the default socket, and keeps the first that
 * answers a ping within the call timeout. When none answers, the exception lists every place
 * tried and why it failed.
 */
public final class Connector implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Connector.class);

  private final DockerConfig config;
  private final EngineDialect dialect;
  private DockerClient client;
  private DockerHttpClient http;
  private URI connectedTo;
  private boolean closed;
  private String label;

  public Connector(DockerConfig config) {
    this(config, EngineDialect.DOCKER);
  }

  /** A connector whose discovery, messages and provider id follow {@code dialect}. */
  public Connector(DockerConfig config, EngineDialect dialect) {
    this.config = config;
    this.dialect = dialect;
  }

  /** Names the engine {@code label} in messages instead of its socket (a bridge's temp path). */
  void label(String label) {
    this.label = label;
  }

  /** Where this connector points, safe to print. */
  public String location() {
    if (label != null) {
      return label;
    }
    return config.host().map(URI::toString).orElse(dialect.autoLocation(config));
  }

  /** The transport of the connected client, for raw calls docker-java has no command for. */
  public synchronized DockerHttpClient http() {
    client();
    return http;
  }

  /** The engine address in use, once connected; else {@link #location()}. */
  public synchronized String where() {
    if (label != null) {
      return label;
    }
    return connectedTo != null ? connectedTo.toString() : location();
  }

  /** The engine's address (unix:// or tcp://), connecting first if needed. */
  public synchronized URI address() {
    client();
    return connectedTo;
  }

  /** The client, connecting (or discovering) on first use. */
  public synchronized DockerClient client() {
    if (closed) {
      throw new IllegalStateException("this " + dialect.provider() + " runtime is closed");
    }
    if (client != null) {
      return client;
    }
    if (config.host().isPresent()) {
      URI host = config.host().get();
      client = open(host);
      http = transportOf(client);
      connectedTo = host;
      return client;
    }
    List<String> tried = new ArrayList<>();
    for (Candidate candidate : candidates()) {
      Optional<String> problem = candidate.problem();
      if (problem.isPresent()) {
        tried.add("tried " + candidate.label() + ": " + problem.get());
        continue;
      }
      DockerClient probe = open(candidate.host());
      try {
        // A frozen engine at one place must not hold discovery up: each probe has the call
        // timeout, and one that does not answer in time is tried and passed like a failure.
        CallDeadline.within(config.callTimeout(), () -> probe.pingCmd().exec());
        LOG.debug("found the {} engine at {}", dialect.provider(), candidate.host());
        client = probe;
        http = transportOf(probe);
        connectedTo = candidate.host();
        return client;
      } catch (CallDeadline.Expired e) {
        tried.add("tried " + candidate.label() + ": did not answer within "
            + CallDeadline.shown(config.callTimeout()));
        closeQuietly(probe);
      } catch (RuntimeException e) {
        tried.add("tried " + candidate.label() + ": " + Errors.reason(e));
        closeQuietly(probe);
      }
    }
    String engine = dialect.provider().equals("docker") ? "Docker" : dialect.provider();
    throw new UnavailableException("no " + engine + " engine answered; "
        + String.join("; ", tried), dialect.provider(), 0, null);
  }

  private List<Candidate> candidates() {
    List<Candidate> list = new ArrayList<>();
    for (EngineDialect.Place place : dialect.discovery(config)) {
      list.add(place.problem().isPresent() || place.address() == null
          ? new Candidate(place.label(), place.address(),
              Optional.of(place.problem().orElse("not a URI")))
          : Candidate.of(place.label(), place.address().toString()));
    }
    return list;
  }

  private DockerClient open(URI host) {
    DefaultDockerClientConfig clientConfig = DefaultDockerClientConfig.createDefaultConfigBuilder()
        .withDockerHost(host.toString())
        .withDockerTlsVerify(false)
        .build();
    DockerHttpClient transport = new ZerodepDockerHttpClient.Builder()
        .dockerHost(host)
        .connectionTimeout(config.connectTimeout())
        .responseTimeout(config.responseTimeout())
        .maxConnections(16)
        .sslConfig(() -> NoTls.INSTANCE) // no trust store loaded for a transport without TLS
        .build();
    return DockerClientImpl.getInstance(clientConfig, transport);
  }

  private static DockerHttpClient transportOf(DockerClient c) {
    return ((DockerClientImpl) c).getHttpClient();
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (client != null) {
      closeQuietly(client);
      client = null;
      http = null;
    }
  }

  private static void closeQuietly(DockerClient c) {
    try {
      c.close();
    } catch (IOException | RuntimeException e) {
      LOG.debug("closing the engine client failed", e);
    }
  }

  /** One place auto-discovery tries; {@code problem} is set when it cannot even be tried. */
  private record Candidate(String label, URI host, Optional<String> problem) {
    static Candidate of(String label, String address) {
      URI uri;
      try {
        uri = URI.create(address);
      } catch (IllegalArgumentException e) {
        return new Candidate(label, null, Optional.of("not a URI"));
      }
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      switch (scheme) {
        case "unix" -> {
          if (uri.getPath() == null || uri.getPath().isEmpty()) {
            return new Candidate(label, uri, Optional.of("no socket path"));
          }
          Path path = Path.of(uri.getPath());
          if (!Files.exists(path)) {
            return new Candidate(label, uri, Optional.of("no such socket file"));
          }
          if (!Files.isReadable(path) || !Files.isWritable(path)) {
            return new Candidate(label, uri, Optional.of("permission denied"));
          }
          return new Candidate(label, uri, Optional.empty());
        }
        case "tcp" -> {
          return new Candidate(label, uri, Optional.empty());
        }
        default -> {
          return new Candidate(label, uri, Optional.of("scheme '" + scheme
              + "' is not supported here (use unix:// or tcp://; ssh:// needs docker+ssh://)"));
        }
      }
    }
  }
}
