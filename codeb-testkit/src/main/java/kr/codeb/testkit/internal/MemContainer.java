package kr.codeb.testkit.internal;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import kr.codeb.deploy.HealthStatus;
import kr.codeb.runtime.ContainerId;
import kr.codeb.runtime.ContainerInfo;
import kr.codeb.runtime.ContainerSpec;
import kr.codeb.runtime.ContainerState;
import kr.codeb.runtime.LogLine;
import kr.codeb.runtime.PortBinding;

/**
 * One container of the in-memory runtime: its state, health, log lines and, while it runs and
 * serves, the HTTP servers on its published ports. Its image reference decides its health and
 * what its own command does (the conventions in {@code MemContainerRuntime}'s class comment).
 * Not thread-safe: the runtime guards it.
 */
public final class MemContainer {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String id;
  private final ContainerSpec spec;
  private final String imageId;
  private final List<LogLine> logs = new ArrayList<>();
  private Instant startedAt = Instant.EPOCH;
  private final List<HttpServer> servers = new ArrayList<>();
  private ContainerState state = ContainerState.CREATED;
  private HealthStatus health;
  private Optional<Integer> exitCode = Optional.empty();

  /** A created container for {@code spec}, with a new random id; not started. */
  public MemContainer(ContainerSpec spec) {
    this.id = newId();
    this.spec = Objects.requireNonNull(spec, "spec");
    this.imageId = imageId(spec.image());
    String image = spec.image();
    this.health = image.contains("unhealthy") ? HealthStatus.UNHEALTHY
        : image.contains("starting") ? HealthStatus.STARTING
        : image.contains("nohealth") ? HealthStatus.NONE
        : HealthStatus.HEALTHY;
  }

  public String id() {
    return id;
  }

  public ContainerSpec spec() {
    return spec;
  }

  public boolean isRunning() {
    return state == ContainerState.RUNNING;
  }

  /** The texts of its log lines. */
  public List<String> logs() {
    return logs.stream().map(LogLine::text).toList();
  }

  /** Its log lines, in order (a copy). */
  public List<LogLine> logLines() {
    return List.copyOf(logs);
  }

  /** When it last started: the time of every line it wrote (mem: writes at start only). */
  public Instant startedAt() {
    return startedAt;
  }

  public void setHealth(HealthStatus health) {
    this.health = Objects.requireNonNull(health, "health");
  }

  /** Runs its command (the spec's, else the image's own) and is running unless that exits. */
  public void start() {
    MemShell.Outcome outcome = spec.command().isEmpty() ? imageBehaviour(spec.image())
        : MemShell.interpret(spec);
    startedAt = Instant.now();
    logs.addAll(outcome.logs());
    state = ContainerState.RUNNING;
    outcome.exitCode().ifPresent(this::exit);
  }

  public void exit(int code) {
    stopServers();
    state = ContainerState.EXITED;
    exitCode = Optional.of(code);
  }

  /**
   * Starts an HTTP server on each published port (503 for an {@code unhealthy} image): on the
   * binding's address when it is a loopback one ({@code 127.0.0.2}, so that two mem engines
   * standing for two app servers can publish the same port), else on 127.0.0.1.
   */
  public void serve() throws IOException {
    int status = spec.image().contains("unhealthy") ? 503 : 200;
    byte[] body = spec.image().getBytes(StandardCharsets.UTF_8);
    for (PortBinding p : spec.ports()) {
      java.net.InetAddress at = p.hostAddress().value().startsWith("127.")
          ? java.net.InetAddress.getByName(p.hostAddress().value())
          : java.net.InetAddress.getLoopbackAddress();
      servers.add(FixedAnswerServer.start(at, p.hostPort(), status, body));
    }
  }

  public void stopServers() {
    servers.forEach(s -> s.stop(0));
    servers.clear();
  }

  public ContainerInfo info() {
    return new ContainerInfo(new ContainerId(id), spec.name(), spec.image(), imageId, state,
        health, spec.labels(), spec.ports(), exitCode);
  }

  /** What the image's own command does, by the naming conventions. */
  private static MemShell.Outcome imageBehaviour(String image) {
    if (image.contains("exit")) {
      return new MemShell.Outcome(List.of(new LogLine(LogLine.Source.STDOUT,
          image + ": exiting at once (mem: convention 'exit')")),
          Optional.of(1));
    }
    return new MemShell.Outcome(List.of(new LogLine(LogLine.Source.STDOUT,
        image + ": running (mem)")), Optional.empty());
  }

  private static String newId() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  private static String imageId(String image) {
    try {
      return "sha256:" + HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(image.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
