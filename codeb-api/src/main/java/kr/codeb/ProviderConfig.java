package kr.codeb;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import kr.codeb.fleet.ServerLink;

/**
 * What a factory gets to build a provider: the URI (never with secrets in it), explicit
 * credentials, and a view of the environment for the documented fallbacks.
 *
 * <p>Secrets are looked up in this order: explicit → {@code CODEB_<PROVIDER>_<PARAM>} → the
 * vendor's own variables (such as {@code VULTR_API_KEY}). A config file feeds the explicit map.
 * {@link #toString()} never shows a secret.
 *
 * <p>{@code server}, when present, is the server the engine runs on: the URI's addresses are as
 * that server sees them ({@code caddy+http://127.0.0.1:2019} is the server's own loopback, {@code
 * docker://} its own engine), and the provider reaches them through the link (forwards,
 * bridges). The link belongs to the caller, who closes it after the provider.
 */
public record ProviderConfig(
    URI uri,
    Map<String, Secret> credentials,
    UnaryOperator<String> environment,
    Optional<ServerLink> server) {

  public ProviderConfig {
    Objects.requireNonNull(uri, "uri");
    if (uri.getRawUserInfo() != null && uri.getRawUserInfo().contains(":")) {
      throw new InvalidRequestException("a provider URI must not carry a password ("
          + uri.getScheme() + "://...): pass it as a credential or an environment variable");
    }
    credentials = Collections.unmodifiableMap(new LinkedHashMap<>(credentials));
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(server, "server");
  }

  /** A provider whose engine is reachable from this machine as the URI says. */
  public ProviderConfig(URI uri, Map<String, Secret> credentials,
      UnaryOperator<String> environment) {
    this(uri, credentials, environment, Optional.empty());
  }

  /** A config with no explicit credentials that reads the process environment. */
  public static ProviderConfig of(URI uri) {
    return new ProviderConfig(uri, Map.of(), System::getenv);
  }

  public String scheme() {
    return uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
  }

  /**
   * A secret for {@code provider}/{@code param}: explicit, then {@code CODEB_PROVIDER_PARAM},
   * then each of the vendor's variables in order.
   */
  public Optional<Secret> secret(String provider, String param, String... vendorVariables) {
    Secret explicit = credentials.get(param);
    if (explicit != null) {
      return Optional.of(explicit);
    }
    List<String> names = new ArrayList<>();
    names.add(("CODEB_" + provider + "_" + param).toUpperCase(Locale.ROOT).replace('-', '_'));
    names.addAll(List.of(vendorVariables));
    for (String name : names) {
      String value = environment.apply(name);
      if (value != null && !value.isBlank()) {
        return Optional.of(Secret.of(value));
      }
    }
    return Optional.empty();
  }

  /** All values of a query parameter ({@code listen} may repeat), decoded. */
  public List<String> queryAll(String name) {
    List<String> values = new ArrayList<>();
    String query = uri.getRawQuery();
    if (query == null) {
      return values;
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String key = decode(eq < 0 ? pair : pair.substring(0, eq));
      if (key.equals(name)) {
        values.add(eq < 0 ? "" : decode(pair.substring(eq + 1)));
      }
    }
    return values;
  }

  public Optional<String> query(String name) {
    List<String> values = queryAll(name);
    return values.isEmpty() ? Optional.empty() : Optional.of(values.get(values.size() - 1));
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "ProviderConfig[uri=" + uri + ", credentials=" + credentials.keySet()
        + server.map(l -> ", server=" + l.endpoint().serverName()).orElse("") + "]";
  }
}
