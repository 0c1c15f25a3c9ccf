package kr.codeb.ports;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import kr.codeb.InvalidRequestException;
import kr.codeb.model.Environment;
import kr.codeb.model.ProjectName;

/**
 * An immutable snapshot of the SSOT port registry (format 7.0.0): the port ranges per
 * environment, the projects with their ports, the {@code ports.allocated} records, any fields
 * CodeB does not know, and the {@link Revision} the store derived from the stored content.
 *
 * <p>Maps keep the order of the stored document; new entries go last. The {@code with...}
 * methods return changed copies that keep the revision they were derived from: a store
 * replaces it when it writes.
 */
public record Registry(
    String version,
    Map<Environment, PortRange> portRanges,
    Map<ProjectName, ProjectEntry> projects,
    Map<Integer, Allocation> allocations,
    Map<String, Object> extensions,
    Revision revision) {

  /** The SSOT format this version of CodeB reads and writes. */
  public static final String FORMAT_VERSION = "7.0.0";

  public Registry {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(revision, "revision");
    portRanges = frozen(portRanges);
    projects = frozen(projects);
    allocations = frozen(allocations);
    projects.forEach((name, entry) -> {
      if (!name.equals(entry.name())) {
        throw new InvalidRequestException("project key " + name + " holds entry " + entry.name());
      }
    });
    allocations.forEach((port, a) -> {
      if (port != a.port()) {
        throw new InvalidRequestException("allocation key " + port + " holds port " + a.port());
      }
    });
    extensions = JsonValues.copyObject(extensions);
  }

  /** An empty registry with the given ranges, never stored. */
  public static Registry of(Map<Environment, PortRange> ranges) {
    return new Registry(FORMAT_VERSION, ranges, Map.of(), Map.of(), Map.of(), Revision.NONE);
  }

  public Optional<PortRange> range(Environment env) {
    return Optional.ofNullable(portRanges.get(env));
  }

  public Optional<ProjectEntry> project(ProjectName name) {
    return Optional.ofNullable(projects.get(name));
  }

  public Optional<SlotPorts> ports(ProjectName name, Environment env) {
    return project(name).flatMap(p -> p.ports(env));
  }

  public Optional<Allocation> allocation(int port) {
    return Optional.ofNullable(allocations.get(port));
  }

  /** Every port the registry mentions anywhere: in project entries and in allocation records. */
  public Set<Integer> mentionedPorts() {
    Set<Integer> ports = new TreeSet<>(allocations.keySet());
    projects.values().forEach(p -> p.ports().values().forEach(sp -> {
      ports.add(sp.blue());
      ports.add(sp.green());
    }));
    return ports;
  }

  /** With the environment's range set (replaced when it exists, appended when new). */
  public Registry withRange(Environment env, PortRange range) {
    Map<Environment, PortRange> copy = new LinkedHashMap<>(portRanges);
    copy.put(Objects.requireNonNull(env, "env"), Objects.requireNonNull(range, "range"));
    return new Registry(version, copy, projects, allocations, extensions, revision);
  }

  public Registry withProject(ProjectEntry entry) {
    Map<ProjectName, ProjectEntry> copy = new LinkedHashMap<>(projects);
    copy.put(entry.name(), entry);
    return new Registry(version, portRanges, copy, allocations, extensions, revision);
  }

  public Registry withoutProject(ProjectName name) {
    Map<ProjectName, ProjectEntry> copy = new LinkedHashMap<>(projects);
    copy.remove(name);
    return new Registry(version, portRanges, copy, allocations, extensions, revision);
  }

  public Registry withAllocation(Allocation allocation) {
    Map<Integer, Allocation> copy = new LinkedHashMap<>(allocations);
    copy.put(allocation.port(), allocation);
    return new Registry(version, portRanges, projects, copy, extensions, revision);
  }

  public Registry withoutAllocation(int port) {
    Map<Integer, Allocation> copy = new LinkedHashMap<>(allocations);
    copy.remove(port);
    return new Registry(version, portRanges, projects, copy, extensions, revision);
  }

  public Registry withExtensions(Map<String, Object> newExtensions) {
    return new Registry(version, portRanges, projects, allocations, newExtensions, revision);
  }

  public Registry withRevision(Revision newRevision) {
    return new Registry(version, portRanges, projects, allocations, extensions, newRevision);
  }

  /** Whether the content (everything but the revision) equals the other registry's. */
  public boolean sameContent(Registry other) {
    return withRevision(Revision.NONE).equals(other.withRevision(Revision.NONE));
  }

  private static <K, V> Map<K, V> frozen(Map<K, V> map) {
    Objects.requireNonNull(map);
    Map<K, V> copy = new LinkedHashMap<>(map);
    copy.forEach((k, v) -> {
      Objects.requireNonNull(k);
      Objects.requireNonNull(v, () -> "value of " + k);
    });
    return Collections.unmodifiableMap(copy);
  }
}
