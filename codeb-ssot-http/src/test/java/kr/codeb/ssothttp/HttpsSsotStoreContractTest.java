package kr.codeb.ssothttp;

import java.nio.file.Path;
import kr.codeb.ports.Registry;

/**
 * The contract over https:// with a self-signed certificate that the client trusts through
 * {@code CODEB_SSOT_CA} (and nothing else: the JDK's CAs are not consulted).
 */
class HttpsSsotStoreContractTest extends HttpSsotStoreContractTest {
  @Override
  TestServer start(Path where, Registry initial) {
    return TestServer.https(where, initial);
  }
}
