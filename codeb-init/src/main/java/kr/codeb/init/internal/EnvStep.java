package kr.codeb.init.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kr.codeb.NotFoundException;
import kr.codeb.Secret;
import kr.codeb.db.DbKind;
import kr.codeb.env.EnvFile;
import kr.codeb.env.EnvFileStore;
import kr.codeb.init.InitRequest;
import kr.codeb.init.InitStep;
import kr.codeb.init.ProjectDatabases;
import kr.codeb.init.StepAction;
import kr.codeb.init.StepPlan;
import kr.codeb.init.StepResult;

/**
 * Step 3: the databases' URLs ({@code DATABASE_URL}, {@code REDIS_URL}) in the project's env
 * file on the app server (mode 0600). A key holding another value differs and is left alone;
 * values are never shown. Created items: {@code env-file}, {@code env-key:<KEY>}.
 */
public final class EnvStep implements InitStep {
  private final InitRequest request;
  private final Optional<ProjectDatabases> databases;
  private final EnvFileStore files;
  private final PlanReads<Optional<EnvFile>> planned = new PlanReads<>();

  public EnvStep(InitRequest request, Optional<ProjectDatabases> databases, EnvFileStore files) {
    this.request = request;
    this.databases = databases;
    this.files = files;
  }

  @Override
  public String id() {
    return "env";
  }

  @Override
  public String title() {
    return "env file on the app server";
  }

  private String where() {
    return files.location(request.project(), request.environment());
  }

  @Override
  public StepPlan plan() {
    if (request.with().isEmpty()) {
      return StepPlan.of(this, StepAction.UNCHANGED, List.of("no database URLs to write"));
    }
    Optional<EnvFile> file = files.read(request.project(), request.environment());
    return planned.keep(planFrom(file), file);
  }

  private StepPlan planFrom(Optional<EnvFile> file) {
    List<String> details = new ArrayList<>();
    boolean missing = false;
    for (DbKind kind : request.databases()) {
      String key = kind.envKey();
      Optional<String> now = file.flatMap(f -> f.get(key));
      if (now.isEmpty()) {
        missing = true;
        details.add("write " + key + " to " + where());
        continue;
      }
      Optional<Secret> url = databases.flatMap(d -> d.url(kind));
      if (url.isPresent() && !url.get().reveal().equals(now.get())) {
        return StepPlan.differs(this, key + " in " + where() + " holds another value (not"
            + " shown) than the URL of " + kind + ": left alone; remove it with we env unset"
            + " to let init write it", details);
      }
      details.add(key + " in " + where() + (url.isPresent() ? "" : " (database not there yet)"));
      missing |= url.isEmpty();
    }
    if (!missing) {
      return StepPlan.of(this, StepAction.UNCHANGED, details);
    }
    return StepPlan.of(this, file.isPresent() ? StepAction.UPDATE : StepAction.CREATE, details);
  }

  /**
   * What {@code plan} found missing, when this step made it (as {@code InitPlan} does just
   * before), else read again: the journal records it before the file is written.
   */
  @Override
  public List<String> intended(StepPlan plan) {
    Optional<EnvFile> file = planned.of(plan)
        .orElseGet(() -> files.read(request.project(), request.environment()));
    List<String> items = new ArrayList<>();
    if (file.isEmpty()) {
      items.add("env-file");
    }
    for (DbKind kind : request.databases()) {
      if (file.flatMap(f -> f.get(kind.envKey())).isEmpty()) {
        items.add("env-key:" + kind.envKey());
      }
    }
    return items;
  }

  @Override
  public StepResult apply(StepPlan plan) {
    Optional<EnvFile> before = files.read(request.project(), request.environment());
    EnvFile current = before.orElse(EnvFile.EMPTY);
    Map<String, String> add = new LinkedHashMap<>();
    for (DbKind kind : request.databases()) {
      if (current.get(kind.envKey()).isPresent()) {
        continue;
      }
      Secret url = databases.flatMap(d -> d.url(kind)).orElseThrow(() -> new NotFoundException(
          "the " + kind + " database of " + request.key() + " or its credentials are missing on"
              + " the storage server: its URL cannot be written"));
      add.put(kind.envKey(), url.reveal());
    }
    List<String> created = new ArrayList<>();
    if (add.isEmpty()) {
      return StepResult.done(plan, List.of("nothing to write"), created);
    }
    files.write(request.project(), request.environment(), current.with(add));
    if (before.isEmpty()) {
      created.add("env-file");
    }
    add.keySet().forEach(k -> created.add("env-key:" + k));
    return StepResult.done(plan, List.of("wrote " + String.join(", ", add.keySet()) + " to "
        + where()), created);
  }

  @Override
  public List<String> undoPlan(List<String> created, boolean deleteData) {
    Optional<EnvFile> file = files.read(request.project(), request.environment());
    if (file.isEmpty()) {
      return List.of();
    }
    List<String> keys = keys(created).stream().filter(k -> file.get().get(k).isPresent())
        .toList();
    List<String> out = new ArrayList<>();
    if (!keys.isEmpty()) {
      out.add("remove " + String.join(", ", keys) + " from " + where());
    }
    if (created.contains("env-file") && file.get().without(keys).isEmpty()) {
      out.add("delete " + where());
    }
    return out;
  }

  @Override
  public List<String> undo(List<String> created, boolean deleteData) {
    List<String> plan = undoPlan(created, deleteData);
    if (plan.isEmpty()) {
      return plan;
    }
    EnvFile file = files.read(request.project(), request.environment()).orElse(EnvFile.EMPTY);
    EnvFile next = file.without(keys(created));
    if (created.contains("env-file") && next.isEmpty()) {
      files.delete(request.project(), request.environment());
    } else if (!next.equals(file)) {
      files.write(request.project(), request.environment(), next);
    }
    return plan.stream().map(l -> l.replaceFirst("^remove", "removed")
        .replaceFirst("^delete", "deleted")).toList();
  }

  private static List<String> keys(List<String> created) {
    return created.stream().filter(c -> c.startsWith("env-key:"))
        .map(c -> c.substring("env-key:".length())).toList();
  }
}
