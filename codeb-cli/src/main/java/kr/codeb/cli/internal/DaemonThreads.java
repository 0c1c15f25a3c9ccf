package kr.codeb.cli.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;

/**
 * Named daemon threads for work a command starts beside its own (logins ahead, status checks
 * in parallel): they never keep the JVM alive after the command has ended.
 */
final class DaemonThreads {
  private DaemonThreads() {}

  /** Makes daemon threads called {@code name}. */
  static ThreadFactory named(String name) {
    return task -> {
      Thread t = new Thread(task, name);
      t.setDaemon(true);
      return t;
    };
  }

  /** Runs each task at once on a new daemon thread called {@code name}. */
  static Executor ownThread(String name) {
    ThreadFactory threads = named(name);
    return task -> threads.newThread(task).start();
  }
}
