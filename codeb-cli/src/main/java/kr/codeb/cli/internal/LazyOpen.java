package kr.codeb.cli.internal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A provider that is opened on its first use instead of when a command is set up: {@code we
 * init} makes every system of its eight steps this way, so a system that is down fails the
 * step that uses it (and that step's message names it), not the setup before step 1.
 *
 * <p>The stand-in implements the provider's interface; its first call other than {@code
 * close}, {@code toString}, {@code equals} and {@code hashCode} runs the opener (once; a
 * failed opening is tried again on the next call) and every call goes to what it opened.
 * {@code close} closes it when it was opened, and does nothing otherwise.
 */
final class LazyOpen<T> implements InvocationHandler {
  private final Class<T> type;
  private final String what;
  private final Supplier<? extends T> opener;
  private T opened;
  private boolean closed;

  private LazyOpen(Class<T> type, String what, Supplier<? extends T> opener) {
    this.type = type;
    this.what = what;
    this.opener = opener;
  }

  /** A stand-in of {@code type} ({@code what} names it in {@code toString}). */
  static <T> T of(Class<T> type, String what, Supplier<? extends T> opener) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(opener, "opener");
    if (!type.isInterface()) {
      throw new IllegalArgumentException(type + " is not an interface");
    }
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
        new LazyOpen<>(type, what, opener)));
  }

  /** Whether {@code stand-in} (made by {@link #of}) has been opened. */
  static boolean isOpened(Object standIn) {
    return Proxy.isProxyClass(standIn.getClass())
        && Proxy.getInvocationHandler(standIn) instanceof LazyOpen<?> lazy && lazy.current() != null;
  }

  private synchronized T current() {
    return opened;
  }

  private synchronized T target() {
    if (closed) {
      throw new IllegalStateException(what + " is closed");
    }
    if (opened == null) {
      opened = Objects.requireNonNull(opener.get(), what);
    }
    return opened;
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    switch (method.getName()) {
      case "toString" -> {
        if (method.getParameterCount() == 0) {
          T now = current();
          return now != null ? now.toString() : what + " (not opened yet)";
        }
      }
      case "hashCode" -> {
        if (method.getParameterCount() == 0) {
          return System.identityHashCode(proxy);
        }
      }
      case "equals" -> {
        if (method.getParameterCount() == 1 && method.getParameterTypes()[0] == Object.class) {
          return proxy == args[0];
        }
      }
      case "close" -> {
        if (method.getParameterCount() == 0) {
          T now;
          synchronized (this) {
            now = opened;
            closed = true;
            opened = null;
          }
          if (now instanceof AutoCloseable c) {
            c.close();
          }
          return null;
        }
      }
      default -> {
        // every other method goes to the opened provider
      }
    }
    try {
      return method.invoke(target(), args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  @Override
  public String toString() {
    return "LazyOpen[" + type.getSimpleName() + ": " + what + "]";
  }
}
