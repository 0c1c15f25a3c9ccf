package kr.codeb.model;

import kr.codeb.Checks;

/**
 * A project's name: a DNS label (1–63 lowercase letters, digits and hyphens, starting with a
 * letter), as {@code vsvs-kr} or {@code w-homepage-react}. It names containers, routes and
 * databases, so it must be safe in all of them.
 */
public record ProjectName(String value) implements Comparable<ProjectName> {
  public ProjectName {
    Checks.label("project name", value, "vsvs-kr");
  }

  public static ProjectName of(String value) {
    return new ProjectName(value);
  }

  @Override
  public int compareTo(ProjectName o) {
    return value.compareTo(o.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
