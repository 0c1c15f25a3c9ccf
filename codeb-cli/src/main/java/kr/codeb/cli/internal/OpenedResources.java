package kr.codeb.cli.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * What one command opened (providers, links, stores), closed together in reverse order. The
 * first failure to close is thrown after every resource was tried. Safe to use from several
 * threads: {@code we init --plan} plans its steps at once, and each may open its systems; work
 * started ahead in the background may still open one after the command has ended, and that one
 * is closed at once.
 */
final class OpenedResources implements AutoCloseable {
  private final List<AutoCloseable> opened = new ArrayList<>();
  private boolean closed;

  /**
   * Remembers {@code resource} to be closed with the others, and returns it; once these are
   * closed, closes it and throws {@link IllegalStateException}.
   */
  <T extends AutoCloseable> T track(T resource) {
    synchronized (this) {
      if (!closed) {
        opened.add(resource);
        return resource;
      }
    }
    try {
      resource.close();
    } catch (Exception e) {
      // it was opened too late to be used: how its closing went does not matter
    }
    throw new IllegalStateException("opened after the command's resources were closed");
  }

  @Override
  public void close() {
    List<AutoCloseable> all;
    synchronized (this) {
      all = List.copyOf(opened);
      opened.clear();
      closed = true;
    }
    RuntimeException first = null;
    for (int i = all.size() - 1; i >= 0; i--) {
      try {
        all.get(i).close();
      } catch (Exception e) {
        if (first == null) {
          first = e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /** Closes everything after {@code cause}, adding any failure to close to it. */
  void closeAfter(RuntimeException cause) {
    try {
      close();
    } catch (RuntimeException e) {
      cause.addSuppressed(e);
    }
  }
}
