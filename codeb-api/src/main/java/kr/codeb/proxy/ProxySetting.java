package kr.codeb.proxy;

import java.util.Objects;

/**
 * A setting CodeB owns on the proxy (not a route) whose value there differs from the proxy's
 * configuration, as {@link ReverseProxy#settingDifferences} reports it.
 *
 * @param name the setting, as the proxy names it ({@code automatic_https}, {@code listen})
 * @param actual its value on the proxy now, as the proxy writes it ({@code "(absent)"} if unset)
 * @param expected the value the configuration asks for
 */
public record ProxySetting(String name, String actual, String expected) {
  public ProxySetting {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(actual, "actual");
    Objects.requireNonNull(expected, "expected");
  }
}
