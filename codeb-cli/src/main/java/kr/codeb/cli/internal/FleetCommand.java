package kr.codeb.cli.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kr.codeb.InvalidRequestException;
import kr.codeb.fleet.Role;
import kr.codeb.fleet.Server;
import kr.codeb.fleet.ServerLinkFactory;
import kr.codeb.fleet.ServerLinkFactory.HostKeyInfo;
import kr.codeb.fleet.SshEndpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code we fleet status|trust|install}: the servers of the config file. */
@Command(
    name = "fleet",
    header = "Check the fleet's servers, trust host keys, install we on them.",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {"The servers of the config file (servers:): whether SSH, each engine and each",
        "API answer, the SSH host keys CodeB trusts, and installing we on them."})
final class FleetCommand implements Callable<Integer> {
  private final Session session;

  FleetCommand(Session session) {
    this.session = session;
  }

  @Override
  public Integer call() {
    return session.missingSubcommand("we fleet");
  }

  @Command(name = "status",
      header = "Check every server: SSH, engines, APIs, versions.",
      mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
      description = {"Check every server of the config file at once: SSH login, each engine and",
          "API it declares, their versions and how long each check took. A server that cannot",
          "be reached fails its own checks (host key, auth, refused, timeout) without holding",
          "up the others. Exit 1 when any check fails."})
  static final class Status implements Callable<Integer> {
    private final Session session;

    @Option(names = "--timeout", paramLabel = "D", converter = DurationConverter.class,
        defaultValue = "15s", description = "The deadline of the whole check (default: 15s).")
    Duration timeout;

    Status(Session session) {
      this.session = session;
    }

    @Override
    public Integer call() {
      if (timeout.isZero() || timeout.isNegative()) {
        throw new InvalidRequestException("--timeout must be positive, e.g. 15s");
      }
      List<Server> servers = session.config().topology().servers();
      if (servers.isEmpty()) {
        throw new InvalidRequestException("the config file names no servers: add servers: to it"
            + " (see README, The config file), or pass --config FILE");
      }
      List<List<FleetCheck.Result>> results = checkAll(servers);
      boolean allOk = results.stream().flatMap(List::stream).allMatch(FleetCheck.Result::ok);
      if (session.json()) {
        printJson(servers, results, allOk);
      } else {
        printTable(servers, results);
      }
      return allOk ? 0 : 1;
    }

    private List<List<FleetCheck.Result>> checkAll(List<Server> servers) {
      ExecutorService pool = Executors.newFixedThreadPool(Math.min(servers.size(), 16),
          DaemonThreads.named("codeb-fleet-status"));
      try {
        Duration perCheck = timeout.multipliedBy(2).dividedBy(3);
        List<Future<List<FleetCheck.Result>>> futures = new ArrayList<>();
        for (Server s : servers) {
          futures.add(pool.submit(() ->
              new FleetCheck(session.registry(), s, perCheck).run()));
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        List<List<FleetCheck.Result>> results = new ArrayList<>();
        for (int i = 0; i < servers.size(); i++) {
          results.add(await(futures.get(i), deadline));
        }
        return results;
      } finally {
        pool.shutdownNow();
      }
    }

    private List<FleetCheck.Result> await(Future<List<FleetCheck.Result>> future, long deadline) {
      try {
        return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        future.cancel(true);
        return List.of(new FleetCheck.Result("server", false, Optional.empty(),
            Optional.of("no answer within " + DurationConverter.human(timeout)),
            Optional.of("timeout"), timeout.toMillis()));
      } catch (ExecutionException e) {
        return List.of(new FleetCheck.Result("server", false, Optional.empty(),
            Optional.of(String.valueOf(e.getCause().getMessage())), Optional.of("internal"), 0));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }

    private void printTable(List<Server> servers, List<List<FleetCheck.Result>> results) {
      Table t = new Table("SERVER", "ROLES", "CHECK", "STATUS", "VERSION", "TIME", "DETAIL");
      for (int i = 0; i < servers.size(); i++) {
        Server s = servers.get(i);
        String roles = String.join(",", s.roles().stream().map(Role::id).toList());
        if (results.get(i).isEmpty()) {
          t.row(s.name(), roles, "-", "ok", "-", "-", "declares no SSH and no engine");
        }
        for (FleetCheck.Result r : results.get(i)) {
          t.row(s.name(), roles, r.check(), r.ok() ? "ok" : "FAILED " + r.problem().orElse(""),
              r.version().orElse("-"), r.millis() + "ms", r.detail().orElse(""));
        }
      }
      t.print(session.out(), "");
    }

    private void printJson(List<Server> servers, List<List<FleetCheck.Result>> results,
        boolean allOk) {
      JsonOutput json = session.jsonOutput();
      ObjectNode root = json.object();
      root.put("ok", allOk);
      ArrayNode list = root.putArray("servers");
      for (int i = 0; i < servers.size(); i++) {
        Server s = servers.get(i);
        ObjectNode n = list.addObject();
        n.put("name", s.name());
        ArrayNode roles = n.putArray("roles");
        s.roles().forEach(r -> roles.add(r.id()));
        n.put("ok", results.get(i).stream().allMatch(FleetCheck.Result::ok));
        ArrayNode checks = n.putArray("checks");
        for (FleetCheck.Result r : results.get(i)) {
          ObjectNode c = checks.addObject();
          c.put("check", r.check());
          c.put("ok", r.ok());
          r.version().ifPresent(v -> c.put("version", v));
          r.problem().ifPresent(p -> c.put("problem", p));
          r.detail().ifPresent(d -> c.put("detail", d));
          c.put("millis", r.millis());
        }
      }
      session.printJson(root);
    }
  }

  @Command(name = "trust",
      header = "Show a server's SSH host key and trust it.",
      mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
      description = {"Show the SSH host key SERVER presents and record it in the known_hosts file",
          "(ssh.knownHosts, default ~/.ssh/known_hosts) after confirmation on a terminal, or at",
          "once when --fingerprint names it. A key different from one already trusted for the",
          "host is refused, naming both: remove the old line by hand if the change is expected."})
  static final class Trust implements Callable<Integer> {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private final Session session;

    @Parameters(index = "0", paramLabel = "SERVER", description = "A server of the config file.")
    String name;

    @Option(names = "--fingerprint", paramLabel = "SHA256:...",
        description = "Trust the key only if it has this fingerprint (checked out of band);"
            + " no prompt.")
    String fingerprint;

    Trust(Session session) {
      this.session = session;
    }

    @Override
    public Integer call() {
      Server server = session.config().topology().server(name).orElseThrow(() ->
          new InvalidRequestException("no server named " + kr.codeb.Checks.quote(name)
              + " in the config file; known: " + session.config().topology().servers().stream()
                  .map(Server::name).toList()));
      SshEndpoint endpoint = server.ssh().orElseThrow(() -> new InvalidRequestException(
          "server " + name + " has no ssh: in the config file, so CodeB does not log in to it"));
      if (fingerprint != null && !fingerprint.matches("SHA256:[A-Za-z0-9+/]{43}=?")) {
        throw new InvalidRequestException("--fingerprint must be SHA256: and 43 base64"
            + " characters, as ssh-keygen -lf prints it");
      }
      ServerLinkFactory links = session.registry().serverLinks();
      String pinned = fingerprint;
      if (pinned == null) {
        HostKeyInfo shown = links.presented(endpoint, TIMEOUT);
        session.out().println("server " + name + " (" + endpoint.address() + ") presents "
            + shown.type() + " " + shown.fingerprint());
        boolean confirmed = session.askYesNo("Trust this key for " + name + "?").orElseThrow(
            () -> new InvalidRequestException("not trusted: check the fingerprint on the server"
                + " (ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub) and run `we fleet trust " + name
                + " --fingerprint " + shown.fingerprint() + "`"));
        if (!confirmed) {
          session.out().println("not trusted");
          return 1;
        }
        pinned = shown.fingerprint();
      }
      HostKeyInfo trusted = links.trust(endpoint, Optional.of(pinned), TIMEOUT);
      session.out().println("trusted " + trusted.type() + " " + trusted.fingerprint()
          + " for server " + name + " (" + endpoint.address() + ")");
      return 0;
    }
  }
}
