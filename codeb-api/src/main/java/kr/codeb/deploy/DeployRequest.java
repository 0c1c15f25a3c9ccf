package kr.codeb.deploy;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import kr.codeb.Checks;
import kr.codeb.InvalidRequestException;
import kr.codeb.internal.HostNames;
import kr.codeb.runtime.ImageRef;

/**
 * One blue-green deploy: run {@code image} in the idle slot, gate on {@code health}, switch
 * traffic (unless {@code noSwitch}), let the old slot drain for {@code drain}. Built with
 * {@link #builder}, which starts from the defaults. {@link #toString()} never shows environment
 * values.
 *
 * @param containerPort the port the app listens on inside the container
 * @param env the container's environment (values are secrets)
 * @param envSource where {@code env} came from, kept in the release history without values
 * @param hosts host names to add to the project's route (it keeps the ones it has); checked as
 *     {@code we domain add} checks them: no wildcards, no single labels
 * @param lockWait how long to wait for another deploy of the same project to finish; zero
 *     fails at once naming the holder
 * @param keepImages how many releases' images to keep for rollback (at least 1)
 * @param processes the project's processes (see {@link ProcessSpec}), one per name; a
 *     {@code web} entry replaces the image's command, every other one runs beside it in the
 *     slot. Empty: {@code web} alone, with the image's command
 */
public record DeployRequest(
    DeployKey key,
    String image,
    int containerPort,
    HealthCheck health,
    Map<String, String> env,
    EnvSource envSource,
    List<String> hosts,
    boolean noSwitch,
    Duration drain,
    Duration lockWait,
    int keepImages,
    String actor,
    List<ProcessSpec> processes) {

  /** The port an app listens on inside its container unless told otherwise. */
  public static final int DEFAULT_CONTAINER_PORT = 8080;
  /** How long the old slot keeps serving after a switch unless told otherwise. */
  public static final Duration DEFAULT_DRAIN = Duration.ofSeconds(2);
  /** How many releases' images are kept for rollback unless told otherwise. */
  public static final int DEFAULT_KEEP_IMAGES = 3;

  public DeployRequest {
    Objects.requireNonNull(key, "key");
    ImageRef.check(image);
    Checks.port("container port", containerPort);
    Objects.requireNonNull(health, "health");
    env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
    Objects.requireNonNull(envSource, "envSource");
    hosts = hosts.stream().map(h -> HostNames.parse("host", h).ascii()).distinct().toList();
    requireNotNegative("drain", drain);
    requireNotNegative("lock wait", lockWait);
    if (keepImages < 1) {
      throw new InvalidRequestException("keep-images must be at least 1, got " + keepImages);
    }
    Objects.requireNonNull(actor, "actor");
    processes = List.copyOf(Objects.requireNonNull(processes, "processes"));
    java.util.Set<String> names = new java.util.HashSet<>();
    for (ProcessSpec p : processes) {
      if (!names.add(p.name())) {
        throw new InvalidRequestException("process " + p.name() + " is declared twice: give"
            + " each process once");
      }
    }
  }

  /** The command of {@code web}: empty for the image's own. */
  public List<String> webCommand() {
    return processes.stream().filter(ProcessSpec::isWeb).findFirst()
        .map(ProcessSpec::command).orElse(List.of());
  }

  /** The processes other than {@code web}, in declaration order. */
  public List<ProcessSpec> workers() {
    return processes.stream().filter(p -> !p.isWeb()).toList();
  }

  /**
   * A builder with the defaults: port {@value #DEFAULT_CONTAINER_PORT},
   * {@link HealthCheck#DEFAULT_PATH}, no environment, no new hosts, switch, 2 s drain, no lock
   * wait, keep {@value #DEFAULT_KEEP_IMAGES} images, {@link Actor#current()}.
   */
  public static Builder builder(DeployKey key, String image) {
    return new Builder(key, image);
  }

  /** A builder holding this request's values. */
  public Builder toBuilder() {
    return new Builder(key, image).containerPort(containerPort).health(health)
        .env(env, envSource).hosts(hosts).noSwitch(noSwitch).drain(drain).lockWait(lockWait)
        .keepImages(keepImages).actor(actor).processes(processes);
  }

  /** Collects a request's values; {@link #build} checks them all. */
  public static final class Builder {
    private final DeployKey key;
    private final String image;
    private int containerPort = DEFAULT_CONTAINER_PORT;
    private HealthCheck health = HealthCheck.http(HealthCheck.DEFAULT_PATH);
    private Map<String, String> env = Map.of();
    private EnvSource envSource = EnvSource.NONE;
    private List<String> hosts = List.of();
    private boolean noSwitch;
    private Duration drain = DEFAULT_DRAIN;
    private Duration lockWait = Duration.ZERO;
    private int keepImages = DEFAULT_KEEP_IMAGES;
    private String actor;
    private List<ProcessSpec> processes = List.of();

    private Builder(DeployKey key, String image) {
      this.key = key;
      this.image = image;
    }

    public Builder containerPort(int value) {
      this.containerPort = value;
      return this;
    }

    public Builder health(HealthCheck value) {
      this.health = value;
      return this;
    }

    /** The environment and where it came from (for the history; see {@link EnvSource}). */
    public Builder env(Map<String, String> values, EnvSource source) {
      this.env = Objects.requireNonNull(values, "env");
      this.envSource = source;
      return this;
    }

    public Builder hosts(List<String> value) {
      this.hosts = Objects.requireNonNull(value, "hosts");
      return this;
    }

    public Builder noSwitch(boolean value) {
      this.noSwitch = value;
      return this;
    }

    public Builder drain(Duration value) {
      this.drain = value;
      return this;
    }

    public Builder lockWait(Duration value) {
      this.lockWait = value;
      return this;
    }

    public Builder keepImages(int value) {
      this.keepImages = value;
      return this;
    }

    public Builder actor(String value) {
      this.actor = value;
      return this;
    }

    /** The project's processes (see {@link ProcessSpec}); none: {@code web} alone. */
    public Builder processes(List<ProcessSpec> value) {
      this.processes = Objects.requireNonNull(value, "processes");
      return this;
    }

    public DeployRequest build() {
      return new DeployRequest(key, image, containerPort, health, env, envSource, hosts,
          noSwitch, drain, lockWait, keepImages, actor == null ? Actor.current() : actor,
          processes);
    }
  }

  private static void requireNotNegative(String what, Duration d) {
    Objects.requireNonNull(d, what);
    if (d.isNegative()) {
      throw new InvalidRequestException(what + " must not be negative, got " + d);
    }
  }

  @Override
  public String toString() {
    return "DeployRequest[key=" + key + ", image=" + image + ", containerPort=" + containerPort
        + ", health=" + health + ", env=" + env.keySet() + ", envSource="
        + envSource.describe() + ", hosts=" + hosts + ", noSwitch=" + noSwitch + ", drain="
        + drain + ", lockWait=" + lockWait + ", keepImages=" + keepImages + ", actor=" + actor
        + ", processes=" + processes + "]";
  }
}
