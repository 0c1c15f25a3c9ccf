package kr.codeb.db.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kr.codeb.db.DbKind;
import kr.codeb.db.DbRequest;
import kr.codeb.runtime.ContainerId;
import kr.codeb.runtime.ContainerInfo;
import kr.codeb.runtime.ContainerRuntime;
import kr.codeb.runtime.ContainerSpec;
import kr.codeb.runtime.VolumeMount;

/**
 * The database containers: host network (the process listens on the storage server's private
 * address and the SSOT's port itself), a named data volume, the official images' conventions
 * ({@code POSTGRES_PASSWORD}, {@code PGDATA} at {@code /var/lib/postgresql/data}; Redis' data in
 * {@code /data}).
 */
public final class Containers {
  public static final String VERSION_LABEL = "codeb.version";
  public static final String PORT_LABEL = "codeb.port";
  static final String PGDATA = "/var/lib/postgresql/data";

  private Containers() {}

  /** The container to run for the request, listening on {@code address:port}. */
  public static ContainerSpec spec(DbRequest request, Names names, String address, int port,
      Credentials credentials) {
    Map<String, String> labels = names.labels();
    labels.put(VERSION_LABEL, request.version());
    labels.put(PORT_LABEL, String.valueOf(port));
    if (request.kind() == DbKind.POSTGRES) {
      return new ContainerSpec(names.container(), request.imageToRun(), labels,
          Map.of("POSTGRES_PASSWORD", credentials.admin().orElseThrow(), "PGDATA", PGDATA),
          List.of(), List.of("postgres", "-c", "port=" + port, "-c", "listen_addresses=" + address),
          List.of(new VolumeMount(names.volume(), PGDATA)), true);
    }
    // The password stays in the environment (not the command line, which engines and
    // ContainerSpec.toString show). A restore leaves /data/restore.rdb: it becomes the snapshot
    // Redis loads, with the append-only file off for that start (Redis would load the old
    // append-only file instead); CodeB turns it on again at run time right after.
    String script = "if [ -f /data/restore.rdb ]; then rm -rf /data/appendonlydir"
        + " /data/appendonly.aof; mv /data/restore.rdb /data/dump.rdb; ao=no; else ao=yes; fi;"
        + " exec docker-entrypoint.sh redis-server --port " + port + " --bind " + address
        + " --dir /data --appendonly $ao --save 60 1 --requirepass \"$REDIS_PASSWORD\"";
    return new ContainerSpec(names.container(), request.imageToRun(), labels,
        Map.of("REDIS_PASSWORD", credentials.password()), List.of(),
        List.of("sh", "-c", script), List.of(new VolumeMount(names.volume(), "/data")), true);
  }

  /**
   * Makes the container run as specified: unchanged when one of that name runs the same image
   * with the same version and port labels; otherwise (absent, stopped, another image, version or
   * port) it is (re)created, the data volume kept. Returns what it did, or empty.
   */
  public static Optional<String> ensure(ContainerRuntime runtime, ContainerSpec spec) {
    return ensure(runtime, spec, runtime.inspect(new ContainerId(spec.name())));
  }

  /** {@link #ensure(ContainerRuntime, ContainerSpec)} with the container as just inspected. */
  public static Optional<String> ensure(ContainerRuntime runtime, ContainerSpec spec,
      Optional<ContainerInfo> now) {
    if (!needsRun(now, spec)) {
      return Optional.empty();
    }
    if (now.isPresent()) {
      runtime.stop(now.get().id(), Duration.ofSeconds(30));
      runtime.remove(now.get().id());
    }
    runtime.run(spec);
    return Optional.of((now.isPresent() ? "replaced" : "started") + " container " + spec.name());
  }

  /**
   * Whether {@link #ensure} starts a container: none runs under that name with the same image,
   * version and port.
   */
  public static boolean needsRun(Optional<ContainerInfo> now, ContainerSpec spec) {
    return !(now.isPresent() && now.get().isRunning() && same(now.get(), spec));
  }

  /** Replaces the container (data volume kept), e.g. for a new password in its environment. */
  public static void replace(ContainerRuntime runtime, ContainerSpec spec) {
    runtime.inspect(new ContainerId(spec.name())).ifPresent(c -> {
      runtime.stop(c.id(), Duration.ofSeconds(30));
      runtime.remove(c.id());
    });
    runtime.run(spec);
  }

  private static boolean same(ContainerInfo info, ContainerSpec spec) {
    return spec.labels().get(VERSION_LABEL).equals(info.labels().get(VERSION_LABEL))
        && spec.labels().get(PORT_LABEL).equals(info.labels().get(PORT_LABEL))
        && sameImage(info.image(), spec.image());
  }

  private static boolean sameImage(String reported, String wanted) {
    return reported != null && (reported.equals(wanted) || reported.endsWith("/" + wanted)
        || reported.equals("docker.io/library/" + wanted));
  }
}
