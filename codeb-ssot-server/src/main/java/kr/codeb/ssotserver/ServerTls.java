package kr.codeb.ssotserver;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import kr.codeb.InputFiles;
import kr.codeb.InvalidRequestException;
import kr.codeb.Secret;

/**
 * TLS for an {@link SsotServer} that is reached without a TLS proxy in front: the server's key
 * and certificate chain in a PKCS#12 key store ({@code keytool -genkeypair -storetype PKCS12},
 * or {@code openssl pkcs12 -export} from PEM files).
 *
 * @param keyStore the PKCS#12 file; it must exist
 * @param password the key store's password (also the key's, as PKCS#12 files have it)
 */
public record ServerTls(Path keyStore, Secret password) {
  public ServerTls {
    Objects.requireNonNull(keyStore, "keyStore");
    Objects.requireNonNull(password, "password");
    if (!Files.isRegularFile(keyStore)) {
      throw new InvalidRequestException("TLS key store " + InputFiles.shown(keyStore)
          + " is not a file: give a PKCS#12 file with the server's key and certificate");
    }
  }

  @Override
  public String toString() {
    return "ServerTls[" + keyStore + ", password=[redacted]]";
  }
}
