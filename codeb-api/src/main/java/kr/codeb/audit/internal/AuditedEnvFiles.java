package kr.codeb.audit.internal;

import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import kr.codeb.env.EnvFile;
import kr.codeb.env.EnvFileStore;
import kr.codeb.model.Environment;
import kr.codeb.model.ProjectName;

/**
 * An {@link EnvFileStore} that records the env files it writes and deletes by their keys only:
 * before and after hold the key names, and which keys a write added, changed and removed;
 * never a value.
 */
public final class AuditedEnvFiles implements EnvFileStore {
  private static final String PROVIDER = "env";
  private final EnvFileStore delegate;
  private final AuditWriter audit;

  public AuditedEnvFiles(EnvFileStore delegate, AuditWriter audit) {
    this.delegate = delegate;
    this.audit = audit;
  }

  @Override
  public String location(ProjectName project, Environment environment) {
    return delegate.location(project, environment);
  }

  @Override
  public Optional<EnvFile> read(ProjectName project, Environment environment) {
    return delegate.read(project, environment);
  }

  @Override
  public void write(ProjectName project, Environment environment, EnvFile file) {
    Optional<EnvFile> before = delegate.read(project, environment);
    delegate.write(project, environment, file);
    EnvFile.Diff diff = before.orElse(EnvFile.EMPTY).diff(file);
    if (before.isPresent() && diff.isEmpty()) {
      return;
    }
    audit.record(PROVIDER, target(project, environment), before.isPresent() ? "update" : "create",
        Optional.of(project), before.map(AuditedEnvFiles::keys).orElse(null), keys(file)
            .put("added", List.copyOf(diff.added())).put("changed", List.copyOf(diff.changed()))
            .put("removed", List.copyOf(diff.removed())));
  }

  @Override
  public boolean delete(ProjectName project, Environment environment) {
    Optional<EnvFile> before = delegate.read(project, environment);
    boolean deleted = delegate.delete(project, environment);
    if (deleted) {
      audit.record(PROVIDER, target(project, environment), "delete", Optional.of(project),
          before.map(AuditedEnvFiles::keys).orElse(null), null);
    }
    return deleted;
  }

  private String target(ProjectName project, Environment environment) {
    return "env:" + delegate.location(project, environment);
  }

  private static JsonText keys(EnvFile file) {
    return JsonText.object().put("keys", List.copyOf(new TreeSet<>(file.keys())));
  }
}
