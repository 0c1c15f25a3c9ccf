package kr.codeb;

import java.util.Objects;

/**
 * Who a provider is: its id (the scheme family, as {@code docker}, {@code caddy},
 * {@code file}), and a description of where it points that is safe to print (never a secret).
 */
public record ProviderInfo(String id, String location) {
  public ProviderInfo {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(location, "location");
  }
}
