package kr.codeb.init;

import kr.codeb.InvalidRequestException;

/**
 * Where the TLS step asks for the site's certificate: the edge's HTTPS listener (the domain is
 * sent as SNI). Only the certificate is looked at; no request is sent.
 */
public record TlsEndpoint(String host, int port) {
  public TlsEndpoint {
    if (host == null || host.isBlank() || !host.matches("[A-Za-z0-9.:\\[\\]-]+")) {
      throw new InvalidRequestException("invalid TLS check address " + host + ": a host name or"
          + " IP address");
    }
    if (port < 1 || port > 65535) {
      throw new InvalidRequestException("invalid TLS check port " + port + ": 1-65535");
    }
  }

  /** {@code HOST:PORT}, or bad input naming the form. */
  public static TlsEndpoint parse(String text) {
    int colon = text == null ? -1 : text.lastIndexOf(':');
    if (colon <= 0) {
      throw new InvalidRequestException("invalid TLS check address " + text + ": HOST:PORT"
          + " (e.g. 203.0.113.30:443)");
    }
    try {
      return new TlsEndpoint(text.substring(0, colon), Integer.parseInt(text.substring(colon + 1)));
    } catch (NumberFormatException e) {
      throw new InvalidRequestException("invalid TLS check address " + text + ": HOST:PORT"
          + " with a numeric port");
    }
  }

  @Override
  public String toString() {
    return host + ":" + port;
  }
}
