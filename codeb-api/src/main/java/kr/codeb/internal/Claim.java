package kr.codeb.internal;

import kr.codeb.Environment;
import kr.codeb.ProjectName;
import kr.codeb.Slot;

/** A project entry's claim on a port: this project uses it for this slot in this environment. */
public record Claim(ProjectName project, Environment environment, Slot slot, int port) {
  public String describe() {
    return project + "'s " + slot.id() + " port (" + environment + ")";
  }
}
