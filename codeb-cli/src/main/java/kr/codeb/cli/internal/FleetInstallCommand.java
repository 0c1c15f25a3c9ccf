package kr.codeb.cli.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import kr.codeb.Checks;
import kr.codeb.InvalidRequestException;
import kr.codeb.fleet.Server;
import kr.codeb.fleet.ServerLink;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code we fleet install}: this release of we onto the fleet's servers. */
@Command(name = "install",
    header = "Install this we (or --archive) on the fleet's servers over SSH.",
    mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = {"Copy the release archive to each server over SFTP, check its SHA-256 there",
        "(sha256sum), install it with the archive's own install.sh (a version folder under",
        "--prefix, `current` switched atomically) and report the version before and after.",
        "The archive is the one this we was installed from (its files, checked against its",
        "SHA256SUMS), or --archive FILE. Idempotent: a server whose current version is the same",
        "build gets no upload and shows `unchanged`. Servers run one after the other; a",
        "failure on one does not stop the others. Exit 1 when any server failed."})
final class FleetInstallCommand implements Callable<Integer> {
  private final Session session;

  @Option(names = "--servers", paramLabel = "NAME[,NAME...]", split = ",",
      description = "The servers to install on (default: every server with ssh:).")
  List<String> servers;

  @Option(names = "--archive", paramLabel = "FILE",
      description = "A release archive we-VERSION.tar.gz (default: this we's own release).")
  Path archive;

  @Option(names = "--prefix", paramLabel = "DIR", defaultValue = "/opt/codeb",
      description = "Where versions live on the server, as install.sh --prefix (default:"
          + " /opt/codeb).")
  String prefix;

  @Option(names = "--bin-dir", paramLabel = "DIR",
      description = "Also link DIR/we to PREFIX/current/bin/we, e.g. /usr/local/bin (as"
          + " install.sh --bin-dir), so that the server's CI runner finds we on its PATH.")
  String binDir;

  @Option(names = "--timeout", paramLabel = "D", converter = DurationConverter.class,
      defaultValue = "2m", description = "The limit of each command on a server (default: 2m).")
  Duration timeout;

  FleetInstallCommand(Session session) {
    this.session = session;
  }

  @Override
  public Integer call() {
    if (timeout.isZero() || timeout.isNegative()) {
      throw new InvalidRequestException("--timeout must be positive, e.g. 2m");
    }
    String checkedPrefix = serverPath("--prefix", prefix);
    Optional<String> checkedBinDir = Optional.ofNullable(binDir).map(b -> serverPath("--bin-dir",
        b));
    List<Server> targets = targets();
    ReleaseArchive release = archive != null ? ReleaseArchive.of(session.path(archive))
        : ReleaseArchive.ofInstallation(ReleaseArchive.runningJar(), VersionProvider.version(),
            Path.of(System.getProperty("java.io.tmpdir")));
    try {
      List<FleetInstall.Outcome> outcomes = new ArrayList<>();
      for (Server server : targets) {
        if (!session.json()) {
          session.progress("installing we " + release.version() + " on " + server.name() + " ...");
        }
        ServerLink link = FleetLinks.of(session.registry(), server);
        outcomes.add(new FleetInstall(link, checkedPrefix, checkedBinDir, timeout)
            .install(release));
      }
      boolean ok = outcomes.stream().allMatch(FleetInstall.Outcome::ok);
      if (session.json()) {
        printJson(release, targets, outcomes, ok);
      } else {
        Table t = new Table("SERVER", "BEFORE", "AFTER", "OUTCOME", "DETAIL");
        for (int i = 0; i < targets.size(); i++) {
          FleetInstall.Outcome o = outcomes.get(i);
          t.row(targets.get(i).name(), shown(o.before()), shown(o.after()), o.outcome(),
              o.detail().orElse(""));
        }
        session.out().println("we " + release.version() + release.packedIfDone()
            .map(p -> " (" + release.fileName() + ", sha256 " + p.sha256() + ")")
            .orElse(" (not uploaded: no server needed it)"));
        t.print(session.out(), "");
      }
      return ok ? 0 : 1;
    } finally {
      release.discard();
    }
  }

  /** The version a {@code we --version} line names, "-" when nothing is installed. */
  private static String shown(Optional<String> line) {
    return line.map(l -> FleetInstall.versionOf(l).orElse("?")).orElse("-");
  }

  private List<Server> targets() {
    List<Server> all = session.config().topology().servers();
    if (all.isEmpty()) {
      throw new InvalidRequestException("the config file names no servers: add servers: to it"
          + " (see README, The config file), or pass --config FILE");
    }
    List<String> known = all.stream().map(Server::name).toList();
    if (servers == null || servers.isEmpty()) {
      List<Server> withSsh = all.stream().filter(s -> s.ssh().isPresent()).toList();
      if (withSsh.isEmpty()) {
        throw new InvalidRequestException("no server of the config file has ssh:, so CodeB"
            + " cannot log in to any; add ssh: to the servers to install on");
      }
      return withSsh;
    }
    List<Server> chosen = new ArrayList<>();
    for (String name : new LinkedHashSet<>(servers)) {
      Server s = session.config().topology().server(name.strip()).orElseThrow(() ->
          new InvalidRequestException("--servers: no server named " + Checks.quote(name)
              + " in the config file; known: " + known));
      if (s.ssh().isEmpty()) {
        throw new InvalidRequestException("--servers: server " + s.name() + " has no ssh: in"
            + " the config file, so CodeB does not log in to it");
      }
      chosen.add(s);
    }
    return chosen;
  }

  /** An absolute path on the server, with nothing a shell line or install.sh would misread. */
  private static String serverPath(String option, String value) {
    String path = value.length() > 1 && value.endsWith("/")
        ? value.substring(0, value.length() - 1) : value;
    try {
      if (path.startsWith("/") && !path.matches("(?s).*\\p{Cntrl}.*")
          && Path.of(path).normalize().toString().equals(path)) {
        return path;
      }
    } catch (InvalidPathException e) {
      // refused below
    }
    throw new InvalidRequestException(option + " " + Checks.quote(value) + " must be an absolute"
        + " path on the server without . or .. parts or control characters, e.g. /opt/codeb");
  }

  private void printJson(ReleaseArchive release, List<Server> targets,
      List<FleetInstall.Outcome> outcomes, boolean ok) {
    JsonOutput json = session.jsonOutput();
    ObjectNode root = json.object();
    root.put("ok", ok);
    ObjectNode described = root.putObject("archive").put("file", release.fileName())
        .put("version", release.version());
    release.packedIfDone().ifPresent(p -> described.put("sha256", p.sha256()));
    ArrayNode list = root.putArray("servers");
    for (int i = 0; i < targets.size(); i++) {
      FleetInstall.Outcome o = outcomes.get(i);
      ObjectNode n = list.addObject();
      n.put("name", targets.get(i).name());
      n.put("outcome", o.outcome());
      o.before().ifPresent(b -> n.put("before", b));
      o.after().ifPresent(a -> n.put("after", a));
      n.put("uploaded", o.uploaded());
      o.detail().ifPresent(d -> n.put("detail", d));
    }
    session.printJson(root);
  }
}
