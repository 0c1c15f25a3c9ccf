package kr.codeb;

import java.util.Set;

/**
 * Builds providers of one capability from a URI. Registered in {@code META-INF/services} under
 * the capability's factory interface and chosen by URI scheme. {@link #create} does no I/O:
 * connections open lazily, so building a provider is cheap and never fails for a down engine.
 * How to write a provider, step by step: {@code docs/adapters.md}.
 *
 * @param <T> the capability
 */
public interface ProviderFactory<T extends AutoCloseable> {
  /** The schemes this factory serves, in lower case ({@code file}, {@code docker+unix}). */
  Set<String> schemes();

  /**
   * Builds the provider for the config's URI.
   *
   * @throws InvalidRequestException if the URI is malformed for this provider (the message says
   *     what form is expected)
   */
  T create(ProviderConfig config);
}
