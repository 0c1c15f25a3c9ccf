package kr.codeb.ssothttp.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import kr.codeb.Checks;
import kr.codeb.InvalidRequestException;
import kr.codeb.ProviderConfig;

/**
 * Where the SSOT server is, from a store URI: {@code http(s)://HOST[:PORT][/PATH][?ca=FILE]}.
 * The base keeps scheme, host, port and path; {@code ca} (or {@code CODEB_SSOT_CA}) names a PEM
 * file of certificates to trust for {@code https}. Nothing else may be in the URI: no user, no
 * other parameter (the token belongs in {@code CODEB_SSOT_TOKEN}), and messages never repeat
 * what was refused.
 *
 * @param base the server's base URI, safe to print
 * @param trustedCertificates the PEM file to trust instead of the JDK's CAs, if given
 */
public record ServerLocation(URI base, Optional<Path> trustedCertificates) {
  /** The environment variable that names the PEM file when the URI has no {@code ca}. */
  public static final String CA_VARIABLE = "CODEB_SSOT_CA";

  public static ServerLocation of(ProviderConfig config) {
    URI uri = config.uri();
    String scheme = config.scheme();
    String form = "use " + scheme + "://HOST[:PORT][/PATH]" + (scheme.equals("https")
        ? "[?ca=/path/ca.pem]" : "") + ", the token in CODEB_SSOT_TOKEN";
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new InvalidRequestException("the SSOT over HTTP needs an http:// or https:// URI, not "
          + scheme + "://");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new InvalidRequestException("the SSOT URI " + scheme + ":// names no host: " + form);
    }
    if (uri.getRawUserInfo() != null) {
      throw new InvalidRequestException("the SSOT URI must not carry a user or token ("
          + scheme + "://...@" + uri.getHost() + "): " + form);
    }
    if (uri.getRawFragment() != null) {
      throw new InvalidRequestException("the SSOT URI must not have a #fragment: " + form);
    }
    Optional<String> ca = Optional.empty();
    if (uri.getRawQuery() != null) {
      for (String pair : uri.getRawQuery().split("&")) {
        String key = pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair;
        if (!key.equals("ca")) {
          // The name only, never the value: a token pasted into the URI must not be echoed.
          throw new InvalidRequestException("unknown parameter "
              + Checks.quote(key.length() > 40 ? key.substring(0, 40) + "..." : key)
              + " in the SSOT URI: the only one is ca (a PEM file to trust); the token goes in"
              + " CODEB_SSOT_TOKEN, never in the URI");
        }
      }
      ca = config.query("ca").filter(s -> !s.isBlank());
    }
    if (ca.isPresent() && scheme.equals("http")) {
      throw new InvalidRequestException("ca= (a CA to trust) is for https:// only; this SSOT URI"
          + " is http://" + uri.getHost());
    }
    if (ca.isEmpty() && scheme.equals("https")) {
      // The variable may be set for a whole shell: it only matters where TLS is spoken.
      ca = Optional.ofNullable(config.environment().apply(CA_VARIABLE)).filter(s -> !s.isBlank());
    }
    Optional<Path> trust = ca.map(ServerLocation::path);
    try {
      URI base = new URI(scheme, null, uri.getHost().toLowerCase(Locale.ROOT), uri.getPort(),
          uri.getPath() == null || uri.getPath().isEmpty() ? "/" : uri.getPath(), null, null);
      return new ServerLocation(base, trust);
    } catch (URISyntaxException e) {
      throw new InvalidRequestException("malformed SSOT URI: " + e.getReason() + "; " + form);
    }
  }

  private static Path path(String file) {
    Path p;
    try {
      p = Path.of(file);
    } catch (java.nio.file.InvalidPathException e) {
      throw new InvalidRequestException("the trusted CA file is not a usable path ("
          + e.getReason() + ")");
    }
    if (!p.isAbsolute()) {
      throw new InvalidRequestException("the trusted CA file " + Checks.quote(file)
          + " must be an absolute path");
    }
    return p;
  }
}
