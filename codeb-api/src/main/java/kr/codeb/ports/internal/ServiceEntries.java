package kr.codeb.ports.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kr.codeb.InvalidRequestException;
import kr.codeb.model.Environment;
import kr.codeb.model.ProjectName;
import kr.codeb.ports.ProjectEntry;
import kr.codeb.ports.Registry;
import kr.codeb.ports.ServicePort;

/**
 * Reads and writes the {@code services} extension of a project entry:
 * <pre>{"services": {"production": {"postgres": {"port": 5432}, "redis": {"port": 5433}}}}</pre>
 * Other keys inside it (also inside a service's object) are kept as they are.
 */
public final class ServiceEntries {
  /** The project entry's key; readers that know only {@code ports} ignore it. */
  public static final String KEY = "services";

  private ServiceEntries() {}

  /** Every service port of every project. */
  public static List<ServicePort> all(Registry registry) {
    List<ServicePort> found = new ArrayList<>();
    for (ProjectEntry entry : registry.projects().values()) {
      byEnvironment(entry).forEach((env, services) -> services.forEach((service, value) ->
          port(entry.name(), env, service, value).ifPresent(found::add)));
    }
    return found;
  }

  /** The project's port for the service in the environment, if it holds one. */
  public static Optional<ServicePort> find(Registry registry, ProjectName project,
      Environment env, String service) {
    return all(registry).stream().filter(s -> s.project().equals(project)
        && s.environment().equals(env) && s.service().equals(service)).findFirst();
  }

  /** The entry with the service's port set (other fields of the service's object kept). */
  public static ProjectEntry with(ProjectEntry entry, Environment env, String service, int port) {
    Map<String, Object> services = object(entry.extensions().get(KEY));
    Map<String, Object> envServices = object(services.get(env.name()));
    Map<String, Object> one = object(envServices.get(service));
    one.put("port", port);
    envServices.put(service, one);
    services.put(env.name(), envServices);
    return withServices(entry, services);
  }

  /** The entry without the service (empty objects it leaves are removed too). */
  public static ProjectEntry without(ProjectEntry entry, Environment env, String service) {
    Map<String, Object> services = object(entry.extensions().get(KEY));
    Map<String, Object> envServices = object(services.get(env.name()));
    envServices.remove(service);
    if (envServices.isEmpty()) {
      services.remove(env.name());
    } else {
      services.put(env.name(), envServices);
    }
    return withServices(entry, services);
  }

  private static ProjectEntry withServices(ProjectEntry entry, Map<String, Object> services) {
    Map<String, Object> extensions = new LinkedHashMap<>(entry.extensions());
    if (services.isEmpty()) {
      extensions.remove(KEY);
    } else {
      extensions.put(KEY, services);
    }
    return new ProjectEntry(entry.name(), entry.ports(), extensions);
  }

  private static Map<Environment, Map<String, Object>> byEnvironment(ProjectEntry entry) {
    Map<Environment, Map<String, Object>> out = new LinkedHashMap<>();
    Object services = entry.extensions().get(KEY);
    if (!(services instanceof Map<?, ?> map)) {
      return out;
    }
    map.forEach((env, value) -> {
      if (value instanceof Map<?, ?> inner) {
        try {
          out.put(Environment.of((String) env), object(inner));
        } catch (InvalidRequestException notOurs) {
          // a key that is no environment name is someone else's field: left alone
        }
      }
    });
    return out;
  }

  private static Optional<ServicePort> port(ProjectName project, Environment env, String service,
      Object value) {
    if (value instanceof Map<?, ?> m && m.get("port") instanceof Integer port) {
      try {
        return Optional.of(new ServicePort(project, env, service, port, false));
      } catch (InvalidRequestException notOurs) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(Object value) {
    return value instanceof Map<?, ?> m ? new LinkedHashMap<>((Map<String, Object>) m)
        : new LinkedHashMap<>();
  }
}
