package kr.codeb.ssh.internal;

/** Where a {@link ReopeningConnection} gets its live connection: owned outright, or pooled. */
interface ConnectionSource {
  /** A live connection, opening a new one when there is none or the last one died. */
  LiveConnection acquire();

  /** {@code broken} failed at the connection level: close it and never hand it out again. */
  void broken(LiveConnection broken);

  /** The {@link ReopeningConnection} is closed: the lease ends. Called once. */
  void release();
}
