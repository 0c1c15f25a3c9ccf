package kr.codeb.runtime;

import java.util.Objects;

/**
 * One line a container wrote, without its line break.
 *
 * @param source which of the container's outputs it came from ({@code STDOUT} for a container
 *     with a terminal, where the engine cannot tell them apart)
 */
public record LogLine(Source source, String text) {
  /** A container's output streams. */
  public enum Source { STDOUT, STDERR }

  public LogLine {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(text, "text");
  }
}
