package kr.codeb.runtime;

import kr.codeb.Checks;
import kr.codeb.InvalidRequestException;

/** An engine's id of a container. */
public record ContainerId(String value) {
  public ContainerId {
    if (value == null || value.isBlank() || value.chars().anyMatch(Character::isWhitespace)) {
      throw new InvalidRequestException("invalid container id " + Checks.quote(value));
    }
  }

  @Override
  public String toString() {
    return value;
  }
}
