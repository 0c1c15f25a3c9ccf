package kr.codeb.cli.internal;

import kr.codeb.domain.Domains;

/** {@link Domains} over the DNS provider and the proxy, closed together. */
public final class DomainWork implements AutoCloseable {
  private final DomainCommand.Providers providers;

  DomainWork(DomainCommand.Providers providers) {
    this.providers = providers;
  }

  public Domains domains() {
    return providers.domains;
  }

  @Override
  public void close() {
    providers.close();
  }
}
