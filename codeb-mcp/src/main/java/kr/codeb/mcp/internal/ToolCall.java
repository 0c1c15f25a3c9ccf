package kr.codeb.mcp.internal;

import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.concurrent.atomic.AtomicBoolean;
import kr.codeb.cli.internal.CliJson;
import kr.codeb.cli.internal.CliServices;

/**
 * One running tool call: the CLI's services, the client's progress token and cancellation, and
 * the secrets to keep out of what is sent.
 */
final class ToolCall {
  private final CliServices services;
  private final McpSyncServerExchange exchange;
  private final Object progressToken;
  private final AtomicBoolean cancelled;
  private Redaction redaction;
  private int progress;

  ToolCall(CliServices services, McpSyncServerExchange exchange, Object progressToken,
      AtomicBoolean cancelled, Redaction redaction) {
    this.services = services;
    this.exchange = exchange;
    this.progressToken = progressToken;
    this.cancelled = cancelled;
    this.redaction = redaction;
  }

  CliServices services() {
    return services;
  }

  CliJson json() {
    return services.json();
  }

  /** Whether the client has cancelled this call ({@code notifications/cancelled}). */
  boolean cancelled() {
    return cancelled.get();
  }

  /** Adds secrets (an app's environment values) to mask from now on. */
  synchronized void secrets(Iterable<String> values) {
    redaction = redaction.with(values);
  }

  synchronized Redaction redaction() {
    return redaction;
  }

  /**
   * Sends a progress notification (when the client asked for them with a progress token); its
   * progress number grows by one each time.
   */
  void progress(String message) {
    if (progressToken == null || exchange == null) {
      return;
    }
    String text;
    double n;
    synchronized (this) {
      n = ++progress;
      text = redaction.apply(message);
    }
    try {
      exchange.progressNotification(new McpSchema.ProgressNotification(progressToken, n, null,
          text));
    } catch (RuntimeException e) {
      // A client gone away does not stop the operation: its result still counts.
    }
  }
}
