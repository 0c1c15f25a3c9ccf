package kr.codeb.cli.internal;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import kr.codeb.ProviderInfo;
import kr.codeb.audit.AuditEntry;
import kr.codeb.audit.AuditLog;
import kr.codeb.audit.AuditQuery;
import kr.codeb.audit.AuditedProviders;
import kr.codeb.model.ProjectName;
import kr.codeb.ports.SsotStore;

/**
 * The audit log of one command's changes: the providers a command opens are wrapped with
 * {@link #wrap()} so every change they make is appended to the log of the command's SSOT
 * ({@link #open}). The log is opened on the first change only (a command that changes nothing
 * opens none) and closed with the command. An entry that cannot be stored does not fail the
 * change already made: it is reported on stderr.
 */
final class CommandAudit implements AutoCloseable {
  /** Names a log file for a CLI whose SSOT is served over HTTP(S). */
  static final String LOG_VARIABLE = "CODEB_AUDIT_LOG";

  private final Session session;
  private final boolean perEntry;
  private final AuditedProviders providers;
  private AuditLog log;
  private List<ProjectName> projects;
  private boolean warned;

  CommandAudit(Session session) {
    this(session, false);
  }

  /**
   * @param perEntry whether each entry opens and closes the log by itself (for a provider
   *     handed to a caller that closes only the provider)
   */
  CommandAudit(Session session, boolean perEntry) {
    this.session = session;
    this.perEntry = perEntry;
    this.providers = new AuditedProviders(new Lazy(), Clock.systemUTC(), this::projectOf,
        this::failed);
  }

  /** The wrappers of this command's providers. */
  AuditedProviders wrap() {
    return providers;
  }

  /**
   * Opens the audit log of the session's SSOT: beside a file, in a {@code postgresql://}
   * database. An SSOT served over {@code http(s)://} keeps its own edits on its server; this
   * machine's changes to the fleet go to {@code CODEB_AUDIT_LOG}, else
   * {@code $XDG_STATE_HOME/codeb/audit.jsonl} (default {@code ~/.local/state}).
   */
  static AuditLog open(Session session) {
    String ssot = session.providers().ssot();
    String scheme = kr.codeb.Checks.hasUriScheme(ssot)
        ? ssot.substring(0, ssot.indexOf(':')).toLowerCase(java.util.Locale.ROOT) : "";
    if (scheme.equals("http") || scheme.equals("https")) {
      return session.registry().auditLog("audit+file://" + localLog(session).toUri().getPath());
    }
    return session.registry().auditLog(ssot);
  }

  private static Path localLog(Session session) {
    String named = session.variable(LOG_VARIABLE);
    if (named != null) {
      return session.path(Path.of(named));
    }
    String state = session.variable("XDG_STATE_HOME");
    if (state == null) {
      String home = Optional.ofNullable(session.variable("HOME"))
          .orElse(System.getProperty("user.home"));
      state = Path.of(home, ".local", "state").toString();
    }
    return Path.of(state, "codeb", "audit.jsonl").toAbsolutePath();
  }

  /** The project whose containers and routes are named {@code <project>-...}: the longest. */
  private Optional<ProjectName> projectOf(String name) {
    if (projects == null) {
      try (SsotStore ssot = session.openSsot()) {
        projects = ssot.read().projects().keySet().stream()
            .sorted(Comparator.comparing((ProjectName p) -> p.value().length()).reversed())
            .toList();
      } catch (RuntimeException e) {
        projects = List.of();
      }
    }
    return projects.stream().filter(p -> name.equals(p.value())
        || name.startsWith(p.value() + "-")).findFirst();
  }

  private void failed(RuntimeException e) {
    if (!warned) {
      warned = true;
      session.err().println("we: warning: a change was made but the audit log could not record"
          + " it: " + e.getMessage());
    }
  }

  @Override
  public void close() {
    if (log != null) {
      AuditLog opened = log;
      log = null;
      opened.close();
    }
  }

  /** The session's log, opened on the first append. */
  private final class Lazy implements AuditLog {
    private AuditLog log() {
      if (log == null) {
        log = open(session);
      }
      return log;
    }

    @Override
    public ProviderInfo info() {
      return log().info();
    }

    @Override
    public synchronized void append(AuditEntry entry) {
      try {
        log().append(entry);
      } finally {
        if (perEntry) {
          CommandAudit.this.close();
        }
      }
    }

    @Override
    public List<AuditEntry> read(AuditQuery query) {
      return log().read(query);
    }

    @Override
    public void close() {
      CommandAudit.this.close();
    }
  }
}
