package kr.codeb.deploy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import kr.codeb.InvalidRequestException;

/**
 * Finds the container environment for a release that a rollback must start again, from the
 * source at hand (the recorded env file read again, or what the caller gives now). The values
 * are never in the history, so without a source a release with an environment cannot be
 * recreated.
 */
@FunctionalInterface
public interface EnvResolver {
  /**
   * A resolver with nothing at hand: it serves releases that had no environment and refuses the
   * others.
   */
  EnvResolver NOTHING_AT_HAND = recorded -> {
    if (!recorded.isEmpty()) {
      throw new InvalidRequestException("the release was deployed with "
          + recorded.describe() + ", and no source for it is at hand: give it again");
    }
    return new Resolved(Map.of(), EnvSource.NONE);
  };

  /**
   * The environment for a release recorded with {@code recorded}.
   *
   * @throws InvalidRequestException if the source is gone, unreadable or incomplete (say which,
   *     never a value)
   */
  Resolved resolve(EnvSource recorded);

  /** Values and where they came from this time. */
  record Resolved(Map<String, String> values, EnvSource source) {
    public Resolved {
      values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
      Objects.requireNonNull(source, "source");
    }

    @Override
    public String toString() {
      return "Resolved[keys=" + values.keySet() + ", source=" + source.describe() + "]";
    }
  }
}
