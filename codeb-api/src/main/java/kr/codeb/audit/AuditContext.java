package kr.codeb.audit;

import java.util.Objects;
import java.util.function.Supplier;
import kr.codeb.deploy.Actor;

/**
 * Who is acting and through which command, for the entries of the changes made meanwhile.
 * The CLI sets the process's context once per command line ({@link #setDefault}); a program
 * that acts for several callers at once (the daemon) runs each call inside {@link #callAs}.
 * Without either, the actor is {@link Actor#current()} and the command {@code library}.
 */
public record AuditContext(String actor, String command) {
  private static volatile AuditContext processDefault;
  private static final ThreadLocal<AuditContext> CURRENT = new ThreadLocal<>();

  public AuditContext {
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(command, "command");
  }

  /** The context of this thread, else the process's, else the actor with {@code library}. */
  public static AuditContext current() {
    AuditContext context = CURRENT.get();
    if (context != null) {
      return context;
    }
    AuditContext fallback = processDefault;
    return fallback != null ? fallback : new AuditContext(Actor.current(), "library");
  }

  /** Sets the process's context (null: back to the built-in one). */
  public static void setDefault(AuditContext context) {
    processDefault = context;
  }

  /** Runs {@code body} with {@code context} as this thread's context. */
  public static <T> T callAs(AuditContext context, Supplier<T> body) {
    Objects.requireNonNull(context, "context");
    AuditContext previous = CURRENT.get();
    CURRENT.set(context);
    try {
      return body.get();
    } finally {
      if (previous == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(previous);
      }
    }
  }
}
