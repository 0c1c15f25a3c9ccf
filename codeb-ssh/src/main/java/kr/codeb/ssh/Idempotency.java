package kr.codeb.ssh;

/**
 * Whether a remote call may run twice. When the SSH connection drops during a call, an
 * {@link #IDEMPOTENT} call is repeated once on a new connection; a {@link #NOT_IDEMPOTENT} one
 * fails with {@link kr.codeb.UnavailableException}, because it may already have run.
 */
public enum Idempotency {
  /** Running it twice is harmless (reads, {@code docker ps}, writing the same file). */
  IDEMPOTENT,
  /** It must not run twice unnoticed (starting a container, appending to a file). */
  NOT_IDEMPOTENT
}
