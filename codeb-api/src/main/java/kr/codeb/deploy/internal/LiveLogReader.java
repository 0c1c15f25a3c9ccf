package kr.codeb.deploy.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;
import kr.codeb.CodeBException;
import kr.codeb.model.Slot;
import kr.codeb.runtime.ContainerId;
import kr.codeb.runtime.LogLine;
import kr.codeb.runtime.LogReader;

/**
 * A follow of the live slot's logs that survives a switch. A watcher thread asks every
 * {@code poll} which container is live; when it changed, it ends the current reader, and
 * {@link #next()} says so and goes on with the new live container's reader. When the followed
 * container stops and no other is live, the reader ends.
 */
public final class LiveLogReader implements LogReader {
  /** The live slot and its running container. */
  public record Live(Slot slot, ContainerId container) {
    public Live {
      Objects.requireNonNull(slot, "slot");
      Objects.requireNonNull(container, "container");
    }
  }

  private final Supplier<Optional<Live>> live;
  private final Function<Live, LogReader> open;
  private final BiConsumer<Optional<Slot>, String> notes;
  private final Thread watcher;
  private volatile LogReader current;
  private volatile Live following;
  private volatile boolean closed;

  public LiveLogReader(LogReader first, Slot slot, ContainerId container, Duration poll,
      Supplier<Optional<Live>> live, Function<Live, LogReader> open,
      BiConsumer<Optional<Slot>, String> notes) {
    this.current = first;
    this.following = new Live(slot, container);
    this.live = live;
    this.open = open;
    this.notes = notes;
    this.watcher = new Thread(() -> watch(poll), "codeb-live-logs");
    watcher.setDaemon(true);
    watcher.start();
  }

  private void watch(Duration poll) {
    while (!closed) {
      try {
        Thread.sleep(poll.toMillis());
        Optional<Live> now = live.get();
        synchronized (this) { // never closes a reader next() just opened for the new container
          if (now.isPresent() && !now.get().container().equals(following.container())) {
            current.close(); // next() notices the switch and moves on
          }
        }
      } catch (InterruptedException e) {
        return;
      } catch (CodeBException e) {
        // the SSOT or proxy did not answer this time: the next round asks again
      }
    }
  }

  @Override
  public Optional<LogLine> next() {
    while (!closed) {
      Optional<LogLine> line = current.next();
      if (line.isPresent()) {
        return line;
      }
      if (closed) {
        break;
      }
      Optional<Live> now = live.get();
      if (now.isEmpty() || now.get().container().equals(following.container())) {
        notes.accept(Optional.empty(), "the " + following.slot() + " container stopped and no"
            + " other slot is live; the follow ends");
        break;
      }
      Live was = following;
      synchronized (this) {
        following = now.get();
        current = open.apply(following);
      }
      notes.accept(Optional.of(following.slot()), "traffic switched from " + was.slot()
          + " to " + following.slot() + "; following the " + following.slot()
          + " container now");
    }
    return Optional.empty();
  }

  @Override
  public void close() {
    closed = true;
    watcher.interrupt();
    current.close();
  }
}
