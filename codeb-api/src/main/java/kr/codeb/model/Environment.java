package kr.codeb.model;

import kr.codeb.Checks;

/**
 * An environment name as the SSOT's {@code portRanges} defines them ({@code production},
 * {@code staging}, {@code preview}, ...). The name's syntax is checked here; whether the SSOT
 * defines it is checked by the operations, which read the SSOT. {@link #SYSTEM} is the range
 * reserved for infrastructure and never holds a project.
 */
public record Environment(String name) implements Comparable<Environment> {
  public static final Environment SYSTEM = new Environment("system");

  public Environment {
    Checks.label("environment name", name, "production");
  }

  public static Environment of(String name) {
    return new Environment(name);
  }

  public boolean isSystem() {
    return equals(SYSTEM);
  }

  @Override
  public int compareTo(Environment o) {
    return name.compareTo(o.name);
  }

  @Override
  public String toString() {
    return name;
  }
}
