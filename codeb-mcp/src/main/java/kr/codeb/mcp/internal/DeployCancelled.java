package kr.codeb.mcp.internal;

/**
 * Thrown from a deploy's progress callback when the client has cancelled the call and traffic
 * has not started to move: it unwinds the deploy (its lock is released on the way) before the
 * proxy is written, so no route is ever half-switched.
 */
final class DeployCancelled extends RuntimeException {
  private static final long serialVersionUID = 1L;
  /** Whether a container of the new release was started in the idle slot. */
  final boolean containerStarted;

  DeployCancelled(boolean containerStarted) {
    super("cancelled by the client", null, false, false);
    this.containerStarted = containerStarted;
  }
}
