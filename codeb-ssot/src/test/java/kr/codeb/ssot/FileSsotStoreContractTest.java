package kr.codeb.ssot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import kr.codeb.ports.Registry;
import kr.codeb.ports.SsotStore;
import kr.codeb.ssot.internal.SsotCodec;
import kr.codeb.tck.SsotStoreContract;
import org.junit.jupiter.api.io.TempDir;

/** The file store passes the SSOT store contract; a reopened handle is a second store object. */
class FileSsotStoreContractTest extends SsotStoreContract {
  @TempDir Path dir;

  private final AtomicInteger files = new AtomicInteger();

  @Override
  protected SsotStore newStore(Registry initial) {
    Path file = dir.resolve("ssot-" + files.incrementAndGet() + ".json");
    try {
      Files.write(file, new SsotCodec(file.toString()).write(null, initial));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return FileSsotStore.open(file);
  }

  @Override
  protected SsotStore reopen(SsotStore store) {
    return FileSsotStore.open(((FileSsotStore) store).path());
  }
}
