package kr.codeb.docker.internal;

import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * The TLS context CodeB gives docker-java's transport: one that refuses to be used.
 *
 * <p>Why: without a context, docker-java's zerodep transport builds its TLS strategy from the
 * JDK's default context when the client is created, also for a unix socket, which loads the TLS
 * provider and the cacerts trust store (a large part of a cold {@code we deploy}'s start,
 * docs/benchmarks.md). CodeB never speaks TLS to an engine (TLS verification is off; engines are
 * reached over a unix socket, or plain TCP on loopback or through SSH), so this context is never
 * asked for anything; if it ever were, it fails loudly instead of connecting without checks.
 */
final class NoTls extends SSLContext {
  static final NoTls INSTANCE = new NoTls();

  private NoTls() {
    super(new Refusing(), null, "none");
  }

  private static final class Refusing extends SSLContextSpi {
    private static IllegalStateException refused() {
      return new IllegalStateException("CodeB does not use TLS to reach a container engine"
          + " (use a unix socket, or tcp:// on loopback or through SSH)");
    }

    @Override
    protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom random) {
      throw refused();
    }

    @Override
    protected SSLSocketFactory engineGetSocketFactory() {
      throw refused();
    }

    @Override
    protected SSLServerSocketFactory engineGetServerSocketFactory() {
      throw refused();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine() {
      throw refused();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine(String host, int port) {
      throw refused();
    }

    @Override
    protected SSLSessionContext engineGetServerSessionContext() {
      throw refused();
    }

    @Override
    protected SSLSessionContext engineGetClientSessionContext() {
      throw refused();
    }
  }
}
