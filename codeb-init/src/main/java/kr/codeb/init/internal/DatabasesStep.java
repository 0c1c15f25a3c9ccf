package kr.codeb.init.internal;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kr.codeb.InvalidRequestException;
import kr.codeb.db.DbInstance;
import kr.codeb.db.DbKind;
import kr.codeb.db.DbResult;
import kr.codeb.init.InitRequest;
import kr.codeb.init.InitStep;
import kr.codeb.init.ProjectDatabases;
import kr.codeb.init.StepAction;
import kr.codeb.init.StepPlan;
import kr.codeb.init.StepResult;

/**
 * Step 2: Postgres and Redis on the storage server. A database that exists is adopted as it
 * is; one running another version than asked for differs. Created items: {@code db:<kind>}
 * (container and storage port) and {@code data:<kind>} (volume and credentials, kept by destroy
 * unless it deletes data). Data that existed before the step (credentials left by an earlier
 * {@code we db remove}, or made by hand) is adopted, never claimed: whether it existed is read
 * before anything is applied, so a destroy with data deletion cannot remove it.
 */
public final class DatabasesStep implements InitStep {
  private final InitRequest request;
  private final Optional<ProjectDatabases> databases;
  private final Optional<String> version;
  /** Per database kind, whether the last plan found its container. */
  private final PlanReads<Map<DbKind, Boolean>> found = new PlanReads<>();
  /** What existed before the plan was applied, once {@link #intended} has read it. */
  private final PlanReads<Before> existed = new PlanReads<>();

  /** Per database kind, whether its container and its data existed. */
  private record Before(Map<DbKind, Boolean> containers, Map<DbKind, Boolean> data) {}

  public DatabasesStep(InitRequest request, Optional<ProjectDatabases> databases,
      Optional<String> version) {
    this.request = request;
    this.databases = databases;
    this.version = version;
    if (!request.with().isEmpty() && databases.isEmpty()) {
      throw new InvalidRequestException("databases " + request.databases() + " were asked for,"
          + " but no storage server is given (a server with roles: [storage], ssh: and"
          + " engines.runtime in the config file)");
    }
  }

  @Override
  public String id() {
    return "databases";
  }

  /**
   * The plan sees the containers, not the users and databases inside them: a run cut off after
   * a container started and before its user was made leaves a plan of "running". Applying
   * again ({@link ProjectDatabases#ensureAll}, idempotent) makes what is missing.
   */
  @Override
  public boolean reappliesAfterInterruption() {
    return true;
  }

  @Override
  public String title() {
    return "databases on the storage server";
  }

  @Override
  public StepPlan plan() {
    if (request.with().isEmpty()) {
      return StepPlan.of(this, StepAction.UNCHANGED, List.of("no databases asked for (--with)"));
    }
    List<String> details = new ArrayList<>();
    boolean create = false;
    boolean update = false;
    Map<DbKind, Boolean> containers = new EnumMap<>(DbKind.class);
    for (DbKind kind : request.databases()) {
      String name = name(kind);
      Optional<DbInstance> now = databases.get().find(kind);
      containers.put(kind, now.isPresent());
      if (now.isEmpty()) {
        create = true;
        details.add("run " + name + " (" + kind + " " + wanted(kind) + ") with a port from the"
            + " SSOT's storage range");
        continue;
      }
      DbInstance i = now.get();
      if (!i.version().equals(wanted(kind))) {
        return StepPlan.differs(this, name + " runs version " + i.version() + ", not "
            + wanted(kind) + ": left alone", List.of(name + " on " + i.server() + ", port "
            + i.port()));
      }
      if (!i.state().equals("running")) {
        update = true;
        details.add("start " + name + " (" + i.state() + ")");
      } else {
        details.add(name + " running on " + i.server() + ", port " + i.port());
      }
    }
    StepAction action = create ? StepAction.CREATE : update ? StepAction.UPDATE
        : StepAction.UNCHANGED;
    return found.keep(StepPlan.of(this, action, details), containers);
  }

  /**
   * What does not exist yet, so what this step will make: the containers as the plan found
   * them (when this step made {@code plan}, as {@code InitPlan} does just before), the data
   * read now. Remembered for {@link #apply}, which claims only these.
   */
  @Override
  public List<String> intended(StepPlan plan) {
    Before before = before(plan);
    List<String> items = new ArrayList<>();
    for (DbKind kind : request.databases()) {
      if (!before.containers().get(kind)) {
        items.add("db:" + kind.id());
      }
      if (!before.data().get(kind)) {
        items.add("data:" + kind.id());
      }
    }
    return items;
  }

  /** What existed before {@code plan} is applied: kept from it, else read now. */
  private Before before(StepPlan plan) {
    return existed.of(plan).orElseGet(() -> {
      Map<DbKind, Boolean> containers = found.of(plan).orElseGet(() -> {
        Map<DbKind, Boolean> now = new EnumMap<>(DbKind.class);
        request.databases().forEach(kind -> now.put(kind,
            databases.get().find(kind).isPresent()));
        return now;
      });
      Map<DbKind, Boolean> data = new EnumMap<>(DbKind.class);
      request.databases().forEach(kind -> data.put(kind, databases.get().hasData(kind)));
      Before read = new Before(containers, data);
      existed.keep(plan, read);
      return read;
    });
  }

  @Override
  public StepResult apply(StepPlan plan) {
    List<DbKind> kinds = List.copyOf(request.databases());
    // what existed is known before anything is made: only what this step makes is claimed
    Before before = before(plan);
    List<DbResult> results = databases.get().ensureAll(kinds);
    List<String> details = new ArrayList<>();
    List<String> created = new ArrayList<>();
    for (int i = 0; i < kinds.size(); i++) {
      DbResult r = results.get(i);
      details.add(r.instance().name() + " on " + r.instance().server() + ", port "
          + r.instance().port() + (r.changes().isEmpty() ? ": unchanged"
              : ": " + String.join("; ", r.changes())));
      if (!before.containers().get(kinds.get(i))) {
        created.add("db:" + kinds.get(i).id());
      }
      if (!before.data().get(kinds.get(i))) {
        created.add("data:" + kinds.get(i).id());
      }
    }
    return StepResult.done(plan, details, created);
  }

  @Override
  public List<String> undoPlan(List<String> created, boolean deleteData) {
    List<String> out = new ArrayList<>();
    for (DbKind kind : DbKind.values()) {
      boolean container = created.contains("db:" + kind.id());
      boolean data = created.contains("data:" + kind.id()) && deleteData;
      if (container && databases.isPresent() && databases.get().find(kind).isPresent()) {
        out.add("remove " + name(kind) + " and its storage port");
      }
      if (data) {
        out.add("delete the data volume and credentials of " + name(kind));
      }
    }
    return out;
  }

  @Override
  public List<String> undo(List<String> created, boolean deleteData) {
    List<String> removed = new ArrayList<>();
    if (databases.isEmpty()) {
      return removed;
    }
    for (DbKind kind : DbKind.values()) {
      boolean container = created.contains("db:" + kind.id());
      boolean data = created.contains("data:" + kind.id()) && deleteData;
      if (container || data) {
        removed.addAll(databases.get().remove(kind, data));
      }
    }
    return removed;
  }

  @Override
  public List<String> kept(List<String> created, boolean deleteData) {
    return deleteData ? List.of() : created.stream().filter(c -> c.startsWith("data:")).toList();
  }

  private String wanted(DbKind kind) {
    return version.orElse(kind.defaultVersion());
  }

  private String name(DbKind kind) {
    return request.project().value() + "-" + request.environment().name() + "-" + kind.id();
  }
}
