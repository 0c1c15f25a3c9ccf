package kr.codeb.deploy;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import kr.codeb.Checks;
import kr.codeb.InvalidRequestException;
import kr.codeb.model.DnsName;
import kr.codeb.runtime.ImageRef;

/**
 * One blue-green deploy: run {@code image} in the idle slot, gate on {@code health}, switch
 * traffic (unless {@code noSwitch}), let the old slot drain for {@code drain}.
 * {@link #toString()} never shows environment values.
 *
 * @param containerPort the port the app listens on inside the container
 * @param hosts host names to add to the project's route (it keeps the ones it has)
 * @param lockWait how long to wait for another deploy of the same project to finish; zero
 *     fails at once naming the holder
 * @param keepImages how many releases' images to keep for rollback (at least 1)
 */
public record DeployRequest(
    DeployKey key,
    String image,
    int containerPort,
    HealthCheck health,
    Map<String, String> env,
    List<String> hosts,
    boolean noSwitch,
    Duration drain,
    Duration lockWait,
    int keepImages,
    String actor) {

  public DeployRequest {
    Objects.requireNonNull(key, "key");
    ImageRef.check(image);
    Checks.port("container port", containerPort);
    Objects.requireNonNull(health, "health");
    env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
    hosts = hosts.stream().map(h -> DnsName.of(h).hostName()).distinct().toList();
    requireNotNegative("drain", drain);
    requireNotNegative("lock wait", lockWait);
    if (keepImages < 1) {
      throw new InvalidRequestException("keep-images must be at least 1, got " + keepImages);
    }
    Objects.requireNonNull(actor, "actor");
  }

  /** A request with the defaults: port 8080, GET /health, 2 s drain, no lock wait, keep 3. */
  public static DeployRequest of(DeployKey key, String image) {
    return new DeployRequest(key, image, 8080, HealthCheck.http("/health"), Map.of(), List.of(),
        false, Duration.ofSeconds(2), Duration.ZERO, 3, Actor.current());
  }

  public DeployRequest withContainerPort(int port) {
    return new DeployRequest(key, image, port, health, env, hosts, noSwitch, drain, lockWait,
        keepImages, actor);
  }

  public DeployRequest withHealth(HealthCheck check) {
    return new DeployRequest(key, image, containerPort, check, env, hosts, noSwitch, drain,
        lockWait, keepImages, actor);
  }

  public DeployRequest withEnv(Map<String, String> vars) {
    return new DeployRequest(key, image, containerPort, health, vars, hosts, noSwitch, drain,
        lockWait, keepImages, actor);
  }

  public DeployRequest withHosts(List<String> names) {
    return new DeployRequest(key, image, containerPort, health, env, names, noSwitch, drain,
        lockWait, keepImages, actor);
  }

  public DeployRequest withNoSwitch(boolean value) {
    return new DeployRequest(key, image, containerPort, health, env, hosts, value, drain,
        lockWait, keepImages, actor);
  }

  public DeployRequest withDrain(Duration value) {
    return new DeployRequest(key, image, containerPort, health, env, hosts, noSwitch, value,
        lockWait, keepImages, actor);
  }

  public DeployRequest withLockWait(Duration value) {
    return new DeployRequest(key, image, containerPort, health, env, hosts, noSwitch, drain,
        value, keepImages, actor);
  }

  public DeployRequest withKeepImages(int value) {
    return new DeployRequest(key, image, containerPort, health, env, hosts, noSwitch, drain,
        lockWait, value, actor);
  }

  public DeployRequest withActor(String who) {
    return new DeployRequest(key, image, containerPort, health, env, hosts, noSwitch, drain,
        lockWait, keepImages, who);
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
        + ", health=" + health + ", env=" + env.keySet() + ", hosts=" + hosts + ", noSwitch="
        + noSwitch + ", drain=" + drain + ", lockWait=" + lockWait + ", keepImages="
        + keepImages + ", actor=" + actor + "]";
  }
}
