package kr.codeb.docker.internal;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.RestartPolicy;
import com.github.dockerjava.api.model.Volume;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import kr.codeb.ConflictException;
import kr.codeb.runtime.ContainerSpec;
import kr.codeb.runtime.PortBinding;

/**
 * A {@link ContainerSpec} as a docker-java create call: port bindings, environment, labels,
 * volumes, host network, the restart policy ({@code unless-stopped} for a service, none for a
 * one-off) and whatever the engine's dialect adds.
 */
final class ContainerCreation {
  private final EngineDialect dialect;
  private final String provider;
  private final Connector connector;

  ContainerCreation(EngineDialect dialect, Connector connector) {
    this.dialect = dialect;
    this.provider = dialect.provider();
    this.connector = connector;
  }

  /**
   * Creates (does not start) the container of {@code spec} from {@code image}; its id.
   * {@code attempt} counts the dialect's retries of a failed start, from 0.
   *
   * @throws ConflictException when a container of that name exists already
   */
  String create(DockerClient c, ContainerSpec spec, String image, int attempt, boolean oneOff) {
    Ports bindings = new Ports();
    Set<ExposedPort> exposed = new LinkedHashSet<>();
    for (PortBinding p : spec.ports()) {
      ExposedPort port = ExposedPort.tcp(p.containerPort());
      exposed.add(port);
      bindings.bind(port, Ports.Binding.bindIpAndPort(p.hostAddress().value(), p.hostPort()));
    }
    List<String> env = new ArrayList<>();
    spec.env().forEach((k, v) -> env.add(k + "=" + v));
    HostConfig hostConfig = HostConfig.newHostConfig()
        .withPortBindings(bindings)
        .withRestartPolicy(oneOff ? RestartPolicy.noRestart()
            : RestartPolicy.unlessStoppedRestart());
    if (!spec.volumes().isEmpty()) {
      hostConfig.withBinds(spec.volumes().stream()
          .map(v -> new Bind(v.volume(), new Volume(v.path()))).toList());
    }
    if (spec.hostNetwork()) {
      hostConfig.withNetworkMode("host");
    }
    dialect.customize(hostConfig, spec, attempt);
    CreateContainerCmd cmd = c.createContainerCmd(image)
        .withName(spec.name())
        .withLabels(spec.labels())
        .withEnv(env)
        .withExposedPorts(List.copyOf(exposed))
        .withHostConfig(hostConfig);
    if (!spec.command().isEmpty()) {
      cmd = cmd.withCmd(spec.command());
    }
    try {
      return cmd.exec().getId();
    } catch (com.github.dockerjava.api.exception.ConflictException e) {
      throw new ConflictException("a container named " + spec.name() + " already exists on "
          + provider + " at " + connector.where() + "; nothing was started", provider, 409, e);
    }
  }
}
