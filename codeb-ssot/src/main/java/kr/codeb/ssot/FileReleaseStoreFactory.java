package kr.codeb.ssot;

import java.nio.file.Path;
import java.util.Set;
import kr.codeb.ProviderConfig;
import kr.codeb.deploy.ReleaseStore;
import kr.codeb.deploy.ReleaseStoreFactory;

/** {@code file:///opt/codeb/registry/ssot.json}: the release store beside that SSOT file. */
public final class FileReleaseStoreFactory implements ReleaseStoreFactory {
  @Override
  public Set<String> schemes() {
    return Set.of("file");
  }

  @Override
  public ReleaseStore create(ProviderConfig config) {
    return FileReleaseStore.besideSsot(Path.of(config.uri()));
  }
}
