package kr.codeb.ssot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.Map;
import kr.codeb.deploy.ReleaseStore;
import kr.codeb.tck.ReleaseStoreContract;

class FileReleaseStoreContractTest extends ReleaseStoreContract {
  private final Map<ReleaseStore, Path> folders = new IdentityHashMap<>();

  @Override
  protected ReleaseStore newStore() {
    try {
      Path dir = Files.createTempDirectory("codeb-releases");
      ReleaseStore store = FileReleaseStore.open(dir);
      folders.put(store, dir);
      return store;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  protected ReleaseStore reopen(ReleaseStore store) {
    ReleaseStore again = FileReleaseStore.open(folders.get(store));
    folders.put(again, folders.get(store));
    return again;
  }
}
