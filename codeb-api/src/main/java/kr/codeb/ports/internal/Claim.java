package kr.codeb.ports.internal;

import kr.codeb.model.Environment;
import kr.codeb.model.ProjectName;
import kr.codeb.model.Slot;

/** A project entry's claim on a port: this project uses it for this slot in this environment. */
public record Claim(ProjectName project, Environment environment, Slot slot, int port) {
  public String describe() {
    return project + "'s " + slot.id() + " port (" + environment + ")";
  }
}
