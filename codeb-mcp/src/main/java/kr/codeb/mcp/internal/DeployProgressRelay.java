package kr.codeb.mcp.internal;

import java.time.Duration;
import kr.codeb.deploy.DeployProgress;

/**
 * A deploy's progress as MCP progress notifications (each step; each health attempt with its
 * number, elapsed time and last status), and the point where a cancellation takes effect.
 *
 * <p>Cancellation: every callback up to and including the one that announces the traffic
 * switch (the step {@code "switching ROUTE to ADDRESS"}, sent before the proxy is written)
 * throws {@link DeployCancelled} once the client has cancelled. After it, the deploy runs to its
 * end whatever the client says: a switch is never cut in two.
 */
final class DeployProgressRelay implements DeployProgress {
  /** How the library announces the switch, just before it writes the proxy. */
  static final String SWITCH_STEP = "switching ";

  private final ToolCall call;
  private boolean switching;
  private boolean containerStarted;

  DeployProgressRelay(ToolCall call) {
    this.call = call;
  }

  @Override
  public synchronized void step(String description) {
    boolean announcesSwitch = description.startsWith(SWITCH_STEP);
    cancelIfAsked();
    if (announcesSwitch) {
      switching = true;
    }
    if (description.startsWith("replacing ") || description.startsWith("starting ")) {
      containerStarted = true; // the step comes just before the container is (re)created
    }
    call.progress(description);
  }

  @Override
  public synchronized void healthAttempt(int attempt, Duration elapsed, String lastStatus) {
    cancelIfAsked();
    call.progress("health attempt " + attempt + " after " + Fields.human(elapsed) + ": "
        + lastStatus);
  }

  /** Whether the traffic switch had begun (then a cancellation came too late to stop it). */
  synchronized boolean switching() {
    return switching;
  }

  private void cancelIfAsked() {
    if (!switching && call.cancelled()) {
      throw new DeployCancelled(containerStarted);
    }
  }
}
