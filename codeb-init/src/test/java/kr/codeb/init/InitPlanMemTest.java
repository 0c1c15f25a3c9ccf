package kr.codeb.init;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import kr.codeb.CodeBException;
import kr.codeb.InvalidRequestException;
import kr.codeb.UnavailableException;
import kr.codeb.db.DbKind;
import kr.codeb.dns.RecordSet;
import kr.codeb.dns.RecordType;
import kr.codeb.env.EnvFile;
import kr.codeb.env.EnvFileStore;
import kr.codeb.model.DnsName;
import kr.codeb.model.Environment;
import kr.codeb.model.IpAddress;
import kr.codeb.model.ProjectName;
import kr.codeb.ports.PortOperations;
import kr.codeb.ports.PortRange;
import kr.codeb.ports.Registry;
import kr.codeb.proxy.Route;
import kr.codeb.proxy.Upstream;
import kr.codeb.testkit.MemDnsProvider;
import kr.codeb.testkit.MemFirewall;
import kr.codeb.testkit.MemReverseProxy;
import kr.codeb.testkit.MemSsotStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plan/journal machinery and the standard steps over the {@code mem:} providers. */
class InitPlanMemTest {
  static final ProjectName ACME = ProjectName.of("acme");
  static final Environment PROD = Environment.of("production");
  static final IpAddress APP = IpAddress.of("10.0.0.10");
  static final IpAddress EDGE = IpAddress.of("203.0.113.30");

  @TempDir Path dir;
  MemSsotStore ssot;
  MemDnsProvider dns;
  MemReverseProxy proxy;
  MemFirewall firewall;
  String group;
  StorageTwin storage;
  EnvFileStore envFiles;
  Path repo;
  InitRequest request;

  @BeforeEach
  void systems() throws Exception {
    ssot = MemSsotStore.create(Registry.of(Map.of(PROD, new PortRange(4100, 4199),
        Environment.of("storage"), new PortRange(6000, 6099))));
    dns = MemDnsProvider.create();
    proxy = MemReverseProxy.create();
    firewall = MemFirewall.create();
    group = firewall.createGroup("storage");
    storage = new StorageTwin(ACME, PROD);
    envFiles = EnvFileStore.local(dir.resolve("env"));
    repo = Files.createDirectories(dir.resolve("repo"));
    request = InitRequest.builder(ACME, PROD, "acme.example")
        .with(Set.of(DbKind.POSTGRES, DbKind.REDIS)).repo(repo).build();
  }

  InitSystems sys() {
    return InitSystems.builder(ssot, envFiles, dns, proxy).databases(storage)
        .storageFirewall(firewall, group, List.of(APP)).upstreamAddress(APP)
        .dnsAddresses(List.of(EDGE)).runnerLabels(List.of("app1")).build();
  }

  InitPlan init() {
    return init(InitSteps.standard(request, sys(), Optional.empty()));
  }

  InitPlan init(List<InitStep> steps) {
    return InitPlan.of(request, steps, InitJournal.inFolder(dir));
  }

  Path journalFile() {
    return dir.resolve("init/acme-production.json");
  }

  Path workflow() {
    return repo.resolve(".github/workflows/acme-production.yml");
  }

  @Test
  void freshProjectGetsEveryStepThenASecondRunChangesNothing() throws Exception {
    List<StepPlan> plan = init().plan();
    assertEquals(InitSteps.IDS, plan.stream().map(StepPlan::step).toList());
    assertEquals(List.of(StepAction.CREATE, StepAction.CREATE, StepAction.CREATE,
        StepAction.CREATE, StepAction.CREATE, StepAction.CREATE, StepAction.CREATE,
        StepAction.UNCHANGED), plan.stream().map(StepPlan::action).toList());
    assertFalse(Files.exists(journalFile()), "planning writes nothing");
    assertTrue(ssot.read().ports(ACME, PROD).isEmpty());

    InitResult first = init().apply(InitProgress.SILENT);
    assertTrue(first.changed());
    int blue = ssot.read().ports(ACME, PROD).orElseThrow().blue();
    EnvFile env = envFiles.read(ACME, PROD).orElseThrow();
    assertEquals(Set.of("DATABASE_URL", "REDIS_URL"), env.keys());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
        dir.resolve("env/acme-production.env"))));
    assertEquals(2, firewall.rules(group).size());
    assertEquals(Route.class, proxy.route("acme-production").orElseThrow().getClass());
    assertEquals(new Upstream(APP, blue), proxy.route("acme-production").get().upstream());
    assertEquals(List.of("203.0.113.30"), records("acme.example.", RecordType.A));
    assertTrue(Files.isRegularFile(workflow()));
    for (StepResult r : first.steps()) {
      assertFalse(String.join(" ", r.details()).contains("Secret1234567890"), r.toString());
    }

    byte[] journal = Files.readAllBytes(journalFile());
    InitResult second = init().apply(InitProgress.SILENT);
    assertFalse(second.changed(), second.toString());
    assertTrue(second.steps().stream().allMatch(s -> s.action() == StepAction.UNCHANGED));
    assertArrayEquals(journal, Files.readAllBytes(journalFile()), "a no-op run writes nothing");
    assertEquals(2, firewall.rules(group).size(), "no duplicate rule");
    assertEquals(1, storage.creations.get(DbKind.POSTGRES), "no duplicate database");
  }

  /** Fails its first {@code failures} applies with a retryable error, as a dead engine would. */
  static InitStep failing(InitStep step, AtomicInteger failures) {
    return new InitStep() {
      public String id() {
        return step.id();
      }

      public String title() {
        return step.title();
      }

      public StepPlan plan() {
        return step.plan();
      }

      public StepResult apply(StepPlan plan) {
        if (failures.getAndDecrement() > 0) {
          throw new UnavailableException("powerdns: connection refused", "powerdns", 0, null);
        }
        return step.apply(plan);
      }

      public List<String> undoPlan(List<String> created, boolean deleteData) {
        return step.undoPlan(created, deleteData);
      }

      public List<String> undo(List<String> created, boolean deleteData) {
        return step.undo(created, deleteData);
      }
    };
  }

  @Test
  void aFailedStepKeepsTheEarlierOnesAndTheSameCallResumesAtIt() throws Exception {
    AtomicInteger failures = new AtomicInteger(1);
    List<InitStep> steps = new ArrayList<>(InitSteps.standard(request, sys(), Optional.empty()));
    steps.set(4, failing(steps.get(4), failures));
    UnavailableException e = assertThrows(UnavailableException.class,
        () -> init(steps).apply(InitProgress.SILENT));
    assertTrue(e.getMessage().startsWith("init step 5/8 (dns: DNS zone and records) failed:"
        + " powerdns: connection refused; steps 1-4 are done"), e.getMessage());
    assertTrue(e.getMessage().contains("run the same command again to resume at step 5"));
    assertEquals("powerdns", e.provider().orElseThrow());
    assertTrue(e.isRetryable());
    assertTrue(ssot.read().ports(ACME, PROD).isPresent());
    assertTrue(dns.zones().isEmpty());
    assertTrue(proxy.route("acme-production").isEmpty(), "nothing after the failed step");
    String journal = Files.readString(journalFile());
    assertTrue(journal.contains("\"status\" : \"failed\""), journal);

    InitResult resumed = init(steps).apply(InitProgress.SILENT);
    assertEquals(List.of(StepAction.UNCHANGED, StepAction.UNCHANGED, StepAction.UNCHANGED,
        StepAction.UNCHANGED, StepAction.CREATE, StepAction.CREATE, StepAction.CREATE,
        StepAction.UNCHANGED), resumed.steps().stream().map(StepResult::action).toList());
    assertTrue(resumed.notes().get(0).startsWith("resuming: the last run failed at step dns"));
    assertEquals(1, storage.creations.get(DbKind.REDIS));
    assertEquals(2, firewall.rules(group).size());
  }

  /** The standard steps, with the databases step killed right after its apply's work. */
  List<InitStep> killedInsideDatabases() {
    List<InitStep> steps = new ArrayList<>(InitSteps.standard(request, sys(), Optional.empty()));
    InitStep databases = steps.get(1);
    steps.set(1, new InitStep() {
      public String id() {
        return databases.id();
      }

      public String title() {
        return databases.title();
      }

      public StepPlan plan() {
        return databases.plan();
      }

      public List<String> intended(StepPlan plan) {
        return databases.intended(plan);
      }

      public StepResult apply(StepPlan plan) {
        databases.apply(plan);
        throw new Killed();
      }

      public List<String> undoPlan(List<String> created, boolean deleteData) {
        return databases.undoPlan(created, deleteData);
      }

      public List<String> undo(List<String> created, boolean deleteData) {
        return databases.undo(created, deleteData);
      }
    });
    return steps;
  }

  /** Stands for a SIGKILL: nothing after it runs, not even the journal's update. */
  static final class Killed extends Error {
    private static final long serialVersionUID = 1L;
  }

  @Test
  void aRunKilledInsideAStepLeavesAJournalThatOwnsWhatTheStepMade() throws Exception {
    List<InitStep> steps = killedInsideDatabases();
    assertThrows(Killed.class, () -> init(steps).apply(InitProgress.SILENT));
    String journal = Files.readString(journalFile());
    assertTrue(journal.contains("\"status\" : \"started\"") && journal.contains("db:postgres"),
        journal);

    InitResult resumed = init().apply(InitProgress.SILENT);
    // The containers run, but the plan cannot see whether their users were made: the step
    // cut off is applied again, which makes only what is missing.
    assertEquals(StepAction.UPDATE, resumed.steps().get(1).action(), "applied again");
    assertTrue(resumed.notes().get(0).contains("stopped during step databases"),
        resumed.notes().toString());
    assertTrue(resumed.notes().toString().contains("applied again to finish"),
        resumed.notes().toString());
    assertEquals(1, storage.creations.get(DbKind.POSTGRES), "no duplicate database");
    InitResult again = init().apply(InitProgress.SILENT);
    assertEquals(StepAction.UNCHANGED, again.steps().get(1).action(), "done now: left alone");
    assertFalse(again.changed(), "nothing to do");
    init().destroy(false, InitProgress.SILENT);
    assertTrue(storage.find(DbKind.POSTGRES).isEmpty(), "destroy owns what the killed run made");
  }

  @Test
  void dataThatExistedBeforeInitIsAdoptedNotClaimedEvenAfterAKilledRun() throws Exception {
    // Postgres credentials left by an earlier removal without data deletion; no container.
    storage.passwords.put(DbKind.POSTGRES, "keptBeforeInit1234567890");
    assertThrows(Killed.class, () -> init(killedInsideDatabases()).apply(InitProgress.SILENT));
    String journal = Files.readString(journalFile());
    assertTrue(journal.contains("\"status\" : \"started\"") && journal.contains("db:postgres")
        && journal.contains("data:redis"), journal);
    assertFalse(journal.contains("data:postgres"), "init did not make postgres' data: "
        + journal);

    init().apply(InitProgress.SILENT);
    assertEquals(Set.of("db:postgres", "db:redis", "data:redis"), Set.copyOf(InitJournal
        .inFolder(dir).read(request.key()).orElseThrow().created("databases")));

    init().destroy(true, InitProgress.SILENT);
    assertTrue(storage.find(DbKind.POSTGRES).isEmpty(), "the container init made is removed");
    assertEquals("keptBeforeInit1234567890", storage.passwords.get(DbKind.POSTGRES),
        "data init did not create survives --delete-data");
    assertFalse(storage.passwords.containsKey(DbKind.REDIS), "data init created is deleted");
  }

  @Test
  void dataThatExistedBeforeAnUninterruptedRunIsNotClaimedEither() throws Exception {
    storage.passwords.put(DbKind.REDIS, "keptBeforeInit1234567890");
    init().apply(InitProgress.SILENT);
    List<String> created = InitJournal.inFolder(dir).read(request.key()).orElseThrow()
        .created("databases");
    assertTrue(created.contains("data:postgres") && !created.contains("data:redis"),
        created.toString());
    init().destroy(true, InitProgress.SILENT);
    assertEquals("keptBeforeInit1234567890", storage.passwords.get(DbKind.REDIS));
  }

  @Test
  void aSecondRunOfTheSameProjectMeanwhileFailsAtOnceAndWritesNothing() throws Exception {
    List<InitStep> steps = new ArrayList<>(InitSteps.standard(request, sys(), Optional.empty()));
    InitStep ports = steps.get(0);
    List<RuntimeException> second = new ArrayList<>();
    List<String> journalDuring = new ArrayList<>();
    steps.set(0, new InitStep() {
      public String id() {
        return ports.id();
      }

      public String title() {
        return ports.title();
      }

      public StepPlan plan() {
        return ports.plan();
      }

      public List<String> intended(StepPlan plan) {
        return ports.intended(plan);
      }

      public StepResult apply(StepPlan plan) {
        StepResult r = ports.apply(plan);
        try {
          journalDuring.add(Files.readString(journalFile()));
          second.add(assertThrows(RuntimeException.class,
              () -> init().apply(InitProgress.SILENT)));
          assertEquals(journalDuring.get(0), Files.readString(journalFile()),
              "the refused run wrote nothing");
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
        return r;
      }

      public List<String> undoPlan(List<String> created, boolean deleteData) {
        return ports.undoPlan(created, deleteData);
      }

      public List<String> undo(List<String> created, boolean deleteData) {
        return ports.undo(created, deleteData);
      }
    });
    init(steps).apply(InitProgress.SILENT);
    assertEquals(1, second.size());
    assertTrue(second.get(0) instanceof kr.codeb.ConflictException, second.get(0).toString());
    assertTrue(second.get(0).getMessage().contains("another we init or destroy of acme"
        + " production is running (") && second.get(0).getMessage().contains(" pid "
        + ProcessHandle.current().pid() + " on "), second.get(0).getMessage());
    assertEquals(0, storage.creations.getOrDefault(DbKind.REDIS, 0) - 1,
        "the databases were made once, by the first run");
    assertEquals("nothing to do", init().apply(InitProgress.SILENT).changed() ? "changes"
        : "nothing to do", "the lock is given back when a run ends");
  }

  @Test
  void aHandMadeSetupIsAdoptedWhereItMatchesAndReportedWhereItDiffers() throws Exception {
    new PortOperations(ssot).allocate(ACME, PROD);
    dns.ensureZone(DnsName.of("acme.example."), List.of());
    dns.upsert(DnsName.of("acme.example."), new RecordSet(DnsName.of("acme.example."),
        RecordType.A, 300, List.of("198.51.100.7")));
    Files.createDirectories(workflow().getParent());
    Files.writeString(workflow(), "name: by hand\n");

    InitResult r = init().apply(InitProgress.SILENT);
    assertEquals(List.of("dns", "workflow"), r.differs().stream().map(StepResult::step).toList());
    assertTrue(r.differs().get(0).reason().orElseThrow().contains("acme.example. A"),
        r.differs().get(0).reason().toString());
    assertEquals(List.of("198.51.100.7"), records("acme.example.", RecordType.A),
        "not overwritten");
    assertEquals("name: by hand\n", Files.readString(workflow()), "not overwritten");
    assertEquals(StepAction.UNCHANGED, r.steps().get(0).action(), "ports adopted");
    assertTrue(proxy.route("acme-production").isPresent(), "the other steps ran");

    init().destroy(false, InitProgress.SILENT);
    assertTrue(ssot.read().ports(ACME, PROD).isPresent(), "adopted ports are not released");
    assertEquals(List.of("198.51.100.7"), records("acme.example.", RecordType.A));
    assertTrue(Files.exists(workflow()));
    assertEquals(1, dns.zones().size(), "the hand-made zone stays");
  }

  @Test
  void destroyUndoesOnlyWhatInitCreatedInReverseAndKeepsData() throws Exception {
    dns.ensureZone(DnsName.of("acme.example."), List.of());
    dns.upsert(DnsName.of("acme.example."), new RecordSet(DnsName.of("mail.acme.example."),
        RecordType.A, 300, List.of("198.51.100.9")));
    proxy.upsert(new Route("other-production", List.of("other.example"),
        new Upstream(APP, 4150)));
    init().apply(InitProgress.SILENT);

    List<StepPlan> plan = init().destroyPlan(false);
    assertEquals("tls", plan.get(0).step(), "reverse order");
    assertEquals(StepAction.DELETE, plan.stream().filter(p -> p.step().equals("site"))
        .findFirst().orElseThrow().action());
    assertTrue(proxy.route("acme-production").isPresent(), "a destroy plan writes nothing");

    List<String> order = new ArrayList<>();
    InitResult r = init().destroy(false, new InitProgress() {
      @Override
      public void started(int index, int total, StepPlan p) {
        order.add(p.step());
      }
    });
    assertEquals(List.of("tls", "workflow", "site", "dns", "firewall", "env", "databases",
        "ports"), order);
    assertTrue(proxy.route("acme-production").isEmpty());
    assertTrue(proxy.route("other-production").isPresent());
    assertTrue(records("acme.example.", RecordType.A).isEmpty());
    assertEquals(List.of("198.51.100.9"), records("mail.acme.example.", RecordType.A));
    assertTrue(firewall.rules(group).isEmpty());
    assertTrue(envFiles.read(ACME, PROD).isEmpty());
    assertFalse(Files.exists(workflow()));
    assertTrue(ssot.read().ports(ACME, PROD).isEmpty());
    assertTrue(storage.find(DbKind.POSTGRES).isEmpty());
    assertTrue(storage.passwords.containsKey(DbKind.POSTGRES), "data kept");
    assertTrue(r.notes().get(0).contains("data:postgres"), r.notes().toString());
    assertTrue(Files.exists(journalFile()), "the journal remembers the kept data");

    init().destroy(true, InitProgress.SILENT);
    assertFalse(storage.passwords.containsKey(DbKind.POSTGRES));
    assertFalse(Files.exists(journalFile()));
  }

  @Test
  void aCreatedZoneGoesWithDestroyAndAJournalThatLiesIsCorrectedFromTheSystems() {
    init().apply(InitProgress.SILENT);
    proxy.remove("acme-production");
    InitResult again = init().apply(InitProgress.SILENT);
    assertEquals(StepAction.CREATE, again.steps().get(5).action());
    assertTrue(again.notes().stream().anyMatch(n -> n.contains("the journal says step site was"
        + " done, but the systems disagree")), again.notes().toString());
    init().destroy(true, InitProgress.SILENT);
    assertTrue(dns.zones().isEmpty(), "the zone init created is gone");
    assertTrue(proxy.routes().isEmpty());
  }

  @Test
  void anUnreadableSsotFailsStepOneAsASystemFaultAndTheSameCallResumes() throws Exception {
    java.util.concurrent.atomic.AtomicBoolean broken = new java.util.concurrent.atomic.AtomicBoolean(true);
    MemSsotStore real = ssot;
    kr.codeb.ports.SsotStore unreadable = new kr.codeb.ports.SsotStore() {
      @Override
      public kr.codeb.ProviderInfo info() {
        return real.info();
      }

      @Override
      public Registry read() {
        if (broken.get()) {
          // what FileSsotStore says of a folder where the file should be
          throw new InvalidRequestException("/srv/ssot.json is not a regular file", "file", 0,
              null);
        }
        return real.read();
      }

      @Override
      public <T> T apply(kr.codeb.ports.RegistryEdit<T> edit) {
        return real.apply(edit);
      }

      @Override
      public void close() {}
    };
    InitSystems systems = InitSystems.builder(unreadable, envFiles, dns, proxy)
        .databases(storage).storageFirewall(firewall, group, List.of(APP)).upstreamAddress(APP)
        .dnsAddresses(List.of(EDGE)).runnerLabels(List.of("app1")).build();
    List<InitStep> steps = InitSteps.standard(request, systems, Optional.empty());
    UnavailableException e = assertThrows(UnavailableException.class,
        () -> init(steps).apply(InitProgress.SILENT));
    assertTrue(e.getMessage().startsWith("init step 1/8 (ports: SSOT ports) failed: the SSOT"
        + " cannot be read: /srv/ssot.json is not a regular file; nothing before it was done"),
        e.getMessage());
    assertTrue(e.getMessage().contains("run the same command again to resume at step 1"));
    assertTrue(Files.readString(journalFile()).contains("\"status\" : \"failed\""));
    CodeBException planned = assertThrows(CodeBException.class, () -> init(steps).plan());
    assertTrue(planned instanceof UnavailableException, planned.toString());
    assertTrue(planned.getMessage().startsWith("init step 1/8 (ports: SSOT ports) could not be"
        + " planned: the SSOT cannot be read"), planned.getMessage());
    broken.set(false);
    InitResult resumed = init(steps).apply(InitProgress.SILENT);
    assertTrue(resumed.notes().get(0).startsWith("resuming: the last run failed at step ports"),
        resumed.notes().toString());
    assertTrue(real.read().ports(ACME, PROD).isPresent());
  }

  @Test
  void badInputIsRefusedBeforeAnythingIsWritten() {
    assertThrows(InvalidRequestException.class,
        () -> InitRequest.builder(ACME, PROD, "not a domain").build());
    assertThrows(InvalidRequestException.class,
        () -> InitRequest.builder(ACME, PROD, "localhost").build());
    InitRequest staging = InitRequest.builder(ACME, Environment.of("staging"), "acme.example")
        .build();
    InitPlan bad = InitPlan.of(staging, InitSteps.standard(staging, sys(), Optional.empty()),
        InitJournal.inFolder(dir));
    InvalidRequestException e = assertThrows(InvalidRequestException.class,
        () -> bad.apply(InitProgress.SILENT));
    assertTrue(e.getMessage().contains("'staging' is not defined"), e.getMessage());
    assertFalse(Files.exists(dir.resolve("init")), "no journal for bad input");
    InitRequest noStorage = request;
    InitSystems without = InitSystems.builder(ssot, envFiles, dns, proxy)
        .dnsAddresses(List.of(EDGE)).build();
    assertThrows(InvalidRequestException.class,
        () -> InitSteps.standard(noStorage, without, Optional.empty()));
    assertThrows(InvalidRequestException.class, () -> InitSteps.standard(
        InitRequest.builder(ACME, PROD, "acme.example").repo(dir.resolve("nosuch")).build(),
        sys(), Optional.empty()));
  }

  List<String> records(String name, RecordType type) {
    return dns.recordSets(DnsName.of("acme.example.")).stream()
        .filter(s -> s.name().equals(DnsName.of(name)) && s.type() == type)
        .flatMap(s -> s.records().stream()).toList();
  }
}
