package kr.codeb.init.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import kr.codeb.init.TlsEndpoint;

/**
 * Asks a TLS listener, with the domain as SNI, for its certificate and looks at it: whether it
 * names the domain, and who issued it. It only observes: the chain is not checked (a test's
 * internal issuer is trusted by nobody), no request is sent, nothing is kept.
 */
public final class TlsProbe {
  /** A certificate the listener served, or why there was none. */
  public record Seen(Optional<X509Certificate> certificate, String why) {
    public boolean names(String domain) {
      return certificate.isPresent() && TlsProbe.names(certificate.get(), domain);
    }

    public String issuer() {
      return certificate.map(c -> c.getIssuerX500Principal().getName()).orElse("");
    }
  }

  private TlsProbe() {}

  public static Seen look(TlsEndpoint endpoint, String domain, Duration timeout) {
    int ms = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, new TrustManager[] {new Observer()}, null);
      try (Socket plain = new Socket()) {
        plain.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), ms);
        plain.setSoTimeout(ms);
        try (SSLSocket tls = (SSLSocket) ctx.getSocketFactory().createSocket(plain,
            endpoint.host(), endpoint.port(), false)) {
          SSLParameters params = tls.getSSLParameters();
          params.setServerNames(List.of(new SNIHostName(domain)));
          tls.setSSLParameters(params);
          tls.startHandshake();
          var certs = tls.getSession().getPeerCertificates();
          if (certs.length == 0 || !(certs[0] instanceof X509Certificate x)) {
            return new Seen(Optional.empty(), "no certificate served");
          }
          return new Seen(Optional.of(x), "served");
        }
      }
    } catch (IOException e) {
      return new Seen(Optional.empty(), e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("TLS is not available in this Java runtime", e);
    }
  }

  static boolean names(X509Certificate cert, String domain) {
    try {
      Collection<List<?>> sans = cert.getSubjectAlternativeNames();
      if (sans == null) {
        return false;
      }
      for (List<?> san : sans) {
        if (san.size() >= 2 && Integer.valueOf(2).equals(san.get(0))) {
          String name = String.valueOf(san.get(1)).toLowerCase(java.util.Locale.ROOT);
          if (name.equals(domain) || (name.startsWith("*.")
              && domain.endsWith(name.substring(1))
              && domain.indexOf('.') == domain.length() - name.length() + 1)) {
            return true;
          }
        }
      }
      return false;
    } catch (CertificateParsingException e) {
      return false;
    }
  }

  /** Accepts any chain: the probe reports what is served, it does not trust it. */
  private static final class Observer implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {
      // never a client
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
      // observed, not trusted: nothing is sent over this connection
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
