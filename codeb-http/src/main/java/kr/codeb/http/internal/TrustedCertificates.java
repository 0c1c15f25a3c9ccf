package kr.codeb.http.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import kr.codeb.InputFiles;
import kr.codeb.InvalidRequestException;

/**
 * A TLS context that trusts exactly the certificates of one PEM file (a private CA, or a
 * server's self-signed certificate), with the JDK's standard chain and validity checks; the
 * host name check stays OkHttp's.
 */
public final class TrustedCertificates {
  private final SSLContext context;
  private final X509TrustManager trustManager;

  private TrustedCertificates(SSLContext context, X509TrustManager trustManager) {
    this.context = context;
    this.trustManager = trustManager;
  }

  /**
   * Reads {@code pem}.
   *
   * @throws InvalidRequestException if the file cannot be read or holds no X.509 certificate
   */
  public static TrustedCertificates load(Path pem) {
    Collection<? extends Certificate> certificates;
    try (InputStream in = Files.newInputStream(pem)) {
      certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
    } catch (IOException e) {
      throw new InvalidRequestException("cannot read the trusted certificates file "
          + InputFiles.shown(pem) + ": " + (e instanceof java.nio.file.NoSuchFileException
              ? "no such file" : e.getMessage()));
    } catch (GeneralSecurityException e) {
      throw new InvalidRequestException("the trusted certificates file " + InputFiles.shown(pem)
          + " is not PEM X.509 certificates (-----BEGIN CERTIFICATE-----): " + e.getMessage());
    }
    if (certificates.isEmpty()) {
      throw new InvalidRequestException("the trusted certificates file " + InputFiles.shown(pem)
          + " holds no certificate: give PEM blocks -----BEGIN CERTIFICATE-----");
    }
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (Certificate c : certificates) {
        store.setCertificateEntry("trusted-" + i++, c);
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      X509TrustManager manager = null;
      for (TrustManager m : factory.getTrustManagers()) {
        if (m instanceof X509TrustManager x) {
          manager = x;
        }
      }
      if (manager == null) {
        throw new IllegalStateException("the JDK's trust manager factory gave no X.509 manager");
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {manager}, null);
      return new TrustedCertificates(context, manager);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("the JDK's TLS stack refused an in-memory trust store", e);
    }
  }

  public SSLContext context() {
    return context;
  }

  public X509TrustManager trustManager() {
    return trustManager;
  }
}
