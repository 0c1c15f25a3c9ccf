package kr.codeb.ssot;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.Map;
import kr.codeb.InvalidRequestException;
import kr.codeb.ProviderRegistry;
import kr.codeb.deploy.ReleaseStore;
import kr.codeb.tck.ReleaseStoreContract;
import org.junit.jupiter.api.Test;

/** The file release store, opened the way front ends open it: beside an SSOT file, by its path. */
class FileReleaseStoreContractTest extends ReleaseStoreContract {
  private final Map<ReleaseStore, Path> ssotFiles = new IdentityHashMap<>();

  @Override
  protected ReleaseStore newStore() {
    try {
      Path ssot = Files.createTempDirectory("codeb-releases").resolve("ssot.json");
      ReleaseStore store = ProviderRegistry.load().releaseStore(ssot.toString());
      ssotFiles.put(store, ssot);
      return store;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  protected ReleaseStore reopen(ReleaseStore store) {
    Path ssot = ssotFiles.get(store);
    ReleaseStore again = ProviderRegistry.load().releaseStore(ssot.toUri().toString());
    ssotFiles.put(again, ssot);
    return again;
  }

  @Test
  void theRegistryFindsTheFileStoreBesideTheSsotAndNamesTheKnownSchemes() {
    ReleaseStore store = newStore();
    assertInstanceOf(FileReleaseStore.class, store);
    InvalidRequestException e = assertThrows(InvalidRequestException.class,
        () -> ProviderRegistry.load().releaseStore("https://ssot.example.test/api"));
    assertTrue(e.getMessage().contains("unknown release store scheme 'https'")
        && e.getMessage().contains("known: file"), e.getMessage());
  }
}
