package kr.codeb.runtime;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import kr.codeb.InvalidRequestException;

/**
 * Which of a container's log lines to read.
 *
 * @param tail only the last this many lines written before the read starts; empty for all
 * @param since only lines written at or after this instant (engines keep whole seconds)
 * @param follow after the stored lines, keep reading new ones until the container stops or the
 *     reader is closed
 */
public record LogQuery(OptionalInt tail, Optional<Instant> since, boolean follow) {
  /** The most lines a tail may ask for (the engines' own limits are lower in practice). */
  public static final int MAX_TAIL = 1_000_000;

  public LogQuery {
    Objects.requireNonNull(tail, "tail");
    Objects.requireNonNull(since, "since");
    if (tail.isPresent() && (tail.getAsInt() < 0 || tail.getAsInt() > MAX_TAIL)) {
      throw new InvalidRequestException("the number of log lines must be between 0 and "
          + MAX_TAIL + ", not " + tail.getAsInt());
    }
  }

  /** Every stored line, no follow. */
  public static LogQuery all() {
    return new LogQuery(OptionalInt.empty(), Optional.empty(), false);
  }

  /** The last {@code lines} lines, no follow. */
  public static LogQuery tail(int lines) {
    return new LogQuery(OptionalInt.of(lines), Optional.empty(), false);
  }

  public LogQuery withSince(Instant since) {
    return new LogQuery(tail, Optional.of(since), follow);
  }

  public LogQuery following() {
    return new LogQuery(tail, since, true);
  }
}
