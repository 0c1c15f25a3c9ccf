package kr.codeb.db.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import kr.codeb.db.DbKind;
import kr.codeb.model.Environment;
import kr.codeb.model.ProjectName;

/** The names and labels of one project's database of one kind in one environment. */
public record Names(ProjectName project, Environment environment, DbKind kind) {
  public static final String ROLE_LABEL = "codeb.role";
  public static final String ROLE = "database";

  /** The container: {@code <project>-<env>-<kind>}, like the slots' names. */
  public String container() {
    return project.value() + "-" + environment.name() + "-" + kind.id();
  }

  /** The named data volume: {@code <container>-data}. */
  public String volume() {
    return container() + "-data";
  }

  /** The Postgres database and user: the project's name with '_' for '-'. */
  public String database() {
    return project.value().replace('-', '_');
  }

  /** The credentials file's name in the server's {@code secrets/} folder. */
  public String secretFile() {
    return container() + ".secret";
  }

  /** The SSOT service name under {@code services.<env>}. */
  public String service() {
    return kind.id();
  }

  /** The backups folder's name in the server's {@code backups/} folder. */
  public String backupFolder() {
    return project.value() + "-" + environment.name();
  }

  /** The labels every database container carries (version and port added by the caller). */
  public Map<String, String> labels() {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("codeb.project", project.value());
    labels.put("codeb.env", environment.name());
    labels.put(ROLE_LABEL, ROLE);
    labels.put("codeb.kind", kind.id());
    return labels;
  }
}
