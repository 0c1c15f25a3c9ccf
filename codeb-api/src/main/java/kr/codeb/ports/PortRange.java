package kr.codeb.ports;

import kr.codeb.Checks;
import kr.codeb.InvalidRequestException;

/** An inclusive range of host ports, as the SSOT's {@code portRanges} give them. */
public record PortRange(int start, int end) {
  public PortRange {
    Checks.port("range start", start);
    Checks.port("range end", end);
    if (start > end) {
      throw new InvalidRequestException(
          "port range start " + start + " is after its end " + end + ": start must be <= end");
    }
  }

  public boolean contains(int port) {
    return port >= start && port <= end;
  }

  public boolean overlaps(PortRange other) {
    return start <= other.end && other.start <= end;
  }

  public int size() {
    return end - start + 1;
  }

  @Override
  public String toString() {
    return start + "-" + end;
  }
}
