package kr.codeb.ssot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import kr.codeb.ConflictException;
import kr.codeb.InvalidRequestException;
import kr.codeb.UnavailableException;
import kr.codeb.model.Environment;
import kr.codeb.model.ProjectName;
import kr.codeb.ports.ProjectPorts;
import kr.codeb.ports.Registry;
import kr.codeb.ports.RegistryEdit;
import kr.codeb.ports.SlotPorts;
import kr.codeb.ssot.internal.CommitCounters;
import kr.codeb.ssot.internal.EditCodec;
import kr.codeb.ssot.internal.EditQueue;
import kr.codeb.ssot.internal.FileMutex;
import kr.codeb.ssot.internal.SsotCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file store's group commit on a real file system, with real processes where the protocol
 * crosses one: queued edits applied in one write, each answered with its own outcome or error,
 * what a combiner's crash leaves, malformed queue files, permissions, and the uncontended path.
 */
class GroupCommitTest {
  private static final Environment PROD = Environment.of("production");
  private static final Environment STAGING = Environment.of("staging");
  private static final String STAGING_RANGE = "{ \"start\": 4500, \"end\": 4999 }";
  private static final Duration OLDER_THAN_ORPHANS = Duration.ofMinutes(11);

  @TempDir Path dir;

  private Path seedFile(String stagingRange) throws IOException {
    Path file = dir.resolve("ssot.json");
    Files.writeString(file, Seeds.seedWith(STAGING_RANGE, stagingRange));
    return file;
  }

  private Path seedFile() throws IOException {
    return seedFile(STAGING_RANGE);
  }

  private static ProjectName name(String value) {
    return ProjectName.of(value);
  }

  @Test
  void queuedEditsAreWrittenOnceAndEachGetsItsOwnAnswer() throws Exception {
    Path file = seedFile("{ \"start\": 4500, \"end\": 4501 }"); // room for one pair
    byte[] before = Files.readAllBytes(file);
    EditQueue queue = EditQueue.beside(file.toRealPath());
    RegistryEdit.Allocate first = RegistryEdit.Allocate.of(name("first"), STAGING);
    RegistryEdit.Allocate full = RegistryEdit.Allocate.of(name("second"), STAGING);
    RegistryEdit.Allocate undefined = RegistryEdit.Allocate.of(name("third"),
        Environment.of("qa"));
    RegistryEdit.Release release = new RegistryEdit.Release(name("worb"), PROD);
    EditQueue.Ticket t1 = queue.post(first);
    EditQueue.Ticket t2 = queue.post(full);
    EditQueue.Ticket t3 = queue.post(undefined);
    EditQueue.Ticket t4 = queue.post(release);
    long writes = CommitCounters.WRITES.sum();

    // The lock is free: this call takes it at once and applies the queued edits with its own.
    ProjectPorts own = FileSsotStore.open(file).apply(RegistryEdit.Allocate.of(name("own"), PROD));

    assertEquals(1, CommitCounters.WRITES.sum() - writes, "one write for five edits");
    assertArrayEquals(before, Files.readAllBytes(dir.resolve("ssot.json.bak")),
        "the .bak is the file before the only write");
    // worb's release (earlier in the batch) freed 4100; 4101 is still another project's.
    assertEquals(new ProjectPorts(name("own"), PROD, new SlotPorts(4104, 4105), true), own);
    assertEquals(new ProjectPorts(name("first"), STAGING, new SlotPorts(4500, 4501), true),
        answer(queue, t1, first).outcome());
    ConflictException conflict = assertInstanceOf(ConflictException.class,
        answer(queue, t2, full).failure());
    assertTrue(conflict.getMessage().contains("no free pair"), conflict.getMessage());
    InvalidRequestException invalid = assertInstanceOf(InvalidRequestException.class,
        answer(queue, t3, undefined).failure());
    assertTrue(invalid.getMessage().contains("'qa' is not defined"), invalid.getMessage());
    assertEquals(true, answer(queue, t4, release).outcome());

    Registry after = FileSsotStore.open(file).read();
    assertEquals(new SlotPorts(4500, 4501), after.ports(name("first"), STAGING).orElseThrow());
    assertTrue(after.project(name("second")).isEmpty());
    assertTrue(after.project(name("third")).isEmpty());
    assertTrue(after.project(name("worb")).isEmpty());
    assertEquals(List.of(), queueFiles(queue), "requests removed, answers collected");
  }

  @Test
  void aLeftoverRequestIsAppliedExactlyOnceAndItsUncollectedAnswerIsCleanedLater()
      throws Exception {
    Path file = seedFile();
    EditQueue queue = EditQueue.beside(file.toRealPath());
    // Its requester posted and died before it could lock: nobody waits for the answer.
    RegistryEdit.Allocate leftover = RegistryEdit.Allocate.of(name("leftover"), PROD);
    EditQueue.Ticket ticket = queue.post(leftover);
    FileSsotStore store = FileSsotStore.open(file);

    store.apply(RegistryEdit.Allocate.of(name("a"), PROD));
    store.apply(RegistryEdit.Allocate.of(name("b"), PROD));
    store.apply(new RegistryEdit.Release(name("a"), PROD));

    Registry after = store.read();
    assertEquals(new SlotPorts(4104, 4105), after.ports(name("leftover"), PROD).orElseThrow());
    assertEquals(List.of(4104, 4105), after.allocations().values().stream()
        .filter(a -> a.project().equals(name("leftover"))).map(a -> a.port()).toList(),
        "one pair, two records: applied once");
    assertEquals(new SlotPorts(4108, 4109), after.ports(name("b"), PROD).orElseThrow());
    Path answerFile = queue.dir().resolve(ticket.id() + ".done");
    assertEquals(List.of(answerFile.getFileName().toString()), queueFiles(queue));

    Files.setLastModifiedTime(answerFile, FileTime.from(Instant.now().minus(OLDER_THAN_ORPHANS)));
    store.apply(RegistryEdit.Allocate.of(name("c"), PROD));
    assertEquals(List.of(), queueFiles(queue), "an answer nobody collected goes after a while");
  }

  @Test
  void aRequestNobodyWaitsForAnyMoreIsDroppedNotApplied() throws Exception {
    Path file = seedFile();
    EditQueue queue = EditQueue.beside(file.toRealPath());
    EditQueue.Ticket stale = queue.post(RegistryEdit.Allocate.of(name("stale"), PROD));
    Files.setLastModifiedTime(stale.request(),
        FileTime.from(Instant.now().minus(OLDER_THAN_ORPHANS)));

    FileSsotStore.open(file).apply(RegistryEdit.Allocate.of(name("fresh"), PROD));

    Registry after = FileSsotStore.open(file).read();
    assertTrue(after.project(name("stale")).isEmpty());
    assertEquals(new SlotPorts(4104, 4105), after.ports(name("fresh"), PROD).orElseThrow());
    assertEquals(List.of(), queueFiles(queue));
  }

  @Test
  void malformedRequestsAreAnsweredWithTheProblemAndNeverBreakTheBatch() throws Exception {
    Path file = seedFile();
    EditQueue queue = EditQueue.beside(file.toRealPath());
    RegistryEdit.Allocate good = RegistryEdit.Allocate.of(name("good"), PROD);
    EditQueue.Ticket goodTicket = queue.post(good); // creates the folder
    String notJson = "0123456789abcdef0123456789abcde1";
    String badName = "0123456789abcdef0123456789abcde2";
    String extraField = "0123456789abcdef0123456789abcde3";
    String otherId = "0123456789abcdef0123456789abcde4";
    String newer = "0123456789abcdef0123456789abcde5";
    String huge = "0123456789abcdef0123456789abcde6";
    Files.writeString(queue.dir().resolve(notJson + ".req"), "{\"format\": ");
    Files.writeString(queue.dir().resolve(badName + ".req"), request(badName, "Acme", ""));
    Files.writeString(queue.dir().resolve(extraField + ".req"),
        request(extraField, "extra", ",\"sneaky\":true"));
    Files.writeString(queue.dir().resolve(otherId + ".req"),
        request("ffffffffffffffffffffffffffffffff", "other", ""));
    Files.writeString(queue.dir().resolve(newer + ".req"),
        request(newer, "newer", "").replace("\"version\":1", "\"version\":2"));
    Files.writeString(queue.dir().resolve(huge + ".req"), request(huge, "huge", "")
        .replace("\"portsInUse\":[]", "\"portsInUse\":[" + "4100,".repeat(300_000) + "4100]"));
    List<String> foreign = List.of("notes.txt", "foo.req", "ABCDEF0123456789abcdef0123456789.req",
        "0123456789abcdef0123456789abcde7.req");
    for (String name : foreign.subList(0, 3)) {
      Files.writeString(queue.dir().resolve(name), "not ours");
    }
    Files.createDirectory(queue.dir().resolve(foreign.get(3))); // named like one, not a file
    byte[] before = Files.readAllBytes(file);

    FileSsotStore.open(file).apply(RegistryEdit.Allocate.of(name("own"), PROD));

    assertArrayEquals(before, Files.readAllBytes(dir.resolve("ssot.json.bak")), "one write");
    Registry after = FileSsotStore.open(file).read();
    assertEquals(4, after.projects().size(), "seed + good + own: " + after.projects().keySet());
    assertTrue(after.project(name("good")).isPresent());
    assertTrue(after.project(name("own")).isPresent());
    assertRefused(queue, notJson, "not valid JSON");
    assertRefused(queue, badName, "invalid project name 'Acme'");
    assertRefused(queue, extraField, "unknown field(s) [sneaky]");
    assertRefused(queue, otherId, "the file is named for '" + otherId + "'");
    assertRefused(queue, newer, "'version' is 2");
    assertRefused(queue, huge, "larger than the 1048576 bytes a request may have");
    assertTrue(((ProjectPorts) answer(queue, goodTicket, good).outcome()).created());
    List<String> left = queueFiles(queue);
    assertEquals(foreign.stream().sorted().toList(), left, "foreign files are left alone");
  }

  @Test
  void anUnreadableAnswerMakesTheRequesterApplyItsEditItself() throws Exception {
    Path file = seedFile();
    EditQueue queue = EditQueue.beside(file.toRealPath());
    RegistryEdit.Allocate edit = RegistryEdit.Allocate.of(name("acme"), PROD);
    EditQueue.Ticket ticket = queue.post(edit);
    Files.writeString(queue.dir().resolve(ticket.id() + ".done"), "{\"format\":\"garbage\"}");
    assertEquals(Optional.empty(), queue.takeAnswer(ticket, edit));
    assertFalse(Files.exists(queue.dir().resolve(ticket.id() + ".done")), "taken out anyway");
  }

  @Test
  void queueFilesGetTheSsotFilesPermissionsAndNoWider() throws Exception {
    Path file = seedFile();
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
    FileSsotStore store = FileSsotStore.open(file);
    Path lock = dir.resolve("ssot.json.lock");
    EditQueue queue = EditQueue.beside(file.toRealPath());
    CompletableFuture<ProjectPorts> waiting;
    try (FileMutex.Held held = FileMutex.acquire(lock)) {
      // Another thread finds the lock taken, queues its edit and waits.
      waiting = CompletableFuture.supplyAsync(
          () -> store.apply(RegistryEdit.Allocate.of(name("acme"), PROD)));
      Path request = awaitRequest(queue);
      assertEquals("rwxr-x---", PosixFilePermissions.toString(
          Files.getPosixFilePermissions(queue.dir())));
      assertEquals("rw-r-----", PosixFilePermissions.toString(
          Files.getPosixFilePermissions(request)));
      queue.answer("0123456789abcdef0123456789abcdef",
          EditCodec.failure("0123456789abcdef0123456789abcdef", new ConflictException("x")));
      assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(
          queue.dir().resolve("0123456789abcdef0123456789abcdef.done"))));
      assertFalse(waiting.isDone());
    }
    assertEquals(new SlotPorts(4104, 4105), waiting.get(30, TimeUnit.SECONDS).ports());
    assertTrue(waiting.get().created());
    assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
  }

  @Test
  void theUncontendedPathWritesOncePerCallAndCreatesNoQueue() throws Exception {
    Path file = seedFile();
    FileSsotStore store = FileSsotStore.open(file);
    long answered = CommitCounters.ANSWERED_BY_OTHERS.sum();
    for (String project : List.of("a", "b", "c")) {
      byte[] before = Files.readAllBytes(file);
      long writes = CommitCounters.WRITES.sum();
      assertTrue(store.apply(RegistryEdit.Allocate.of(name(project), PROD)).created());
      assertEquals(1, CommitCounters.WRITES.sum() - writes);
      assertArrayEquals(before, Files.readAllBytes(dir.resolve("ssot.json.bak")));
    }
    byte[] unchanged = Files.readAllBytes(file);
    assertFalse(store.apply(RegistryEdit.Allocate.of(name("a"), PROD)).created());
    assertArrayEquals(unchanged, Files.readAllBytes(file), "a held pair writes nothing");
    assertFalse(Files.exists(dir.resolve("ssot.json.queue")));
    assertEquals(answered, CommitCounters.ANSWERED_BY_OTHERS.sum());
  }

  @Test
  @Timeout(60)
  void aRequesterThatFailsWhileWaitingRemovesItsRequest() throws Exception {
    Path file = seedFile();
    EditQueue queue = EditQueue.beside(file.toRealPath());
    try (LockHolder holder = LockHolder.start(dir.resolve("ssot.json.lock"))) {
      CompletableFuture<Throwable> failure = new CompletableFuture<>();
      Thread requester = new Thread(() -> {
        try {
          FileSsotStore.open(file).apply(RegistryEdit.Allocate.of(name("acme"), PROD));
          failure.complete(null);
        } catch (Throwable t) {
          failure.complete(t);
        }
      });
      requester.start();
      awaitRequest(queue);
      Thread.sleep(200); // into the blocking lock call
      requester.interrupt(); // the lock call fails: ClosedByInterruptException
      Throwable thrown = failure.get(30, TimeUnit.SECONDS);
      assertInstanceOf(UnavailableException.class, thrown);
      assertEquals(List.of(), queueFiles(queue), "it withdrew its request");
    }
    assertTrue(FileSsotStore.open(file).read().project(name("acme")).isEmpty());
  }

  @Test
  @Timeout(60)
  void aHolderThatNeverLetsGoFailsTheWaiterAtItsDeadlineNamingLockAndHolder() throws Exception {
    Path file = seedFile();
    EditQueue queue = EditQueue.beside(file.toRealPath());
    try (LockHolder holder = LockHolder.start(dir.resolve("ssot.json.lock"))) {
      long start = System.nanoTime();
      UnavailableException e = assertThrows(UnavailableException.class, () -> FileSsotStore
          .open(file, Duration.ofMillis(700)).apply(RegistryEdit.Allocate.of(name("acme"), PROD)));
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertTrue(millis >= 650 && millis < 10_000, "failed after " + millis + " ms");
      assertTrue(e.getMessage().contains(dir.resolve("ssot.json.lock").toRealPath().toString()),
          e.getMessage());
      assertTrue(e.getMessage().contains("process " + holder.pid()), e.getMessage());
      assertTrue(e.getMessage().contains("within 0.7s"), e.getMessage());
      assertTrue(e.getMessage().contains("CODEB_SSOT_LOCK_WAIT"), e.getMessage());
      assertFalse(Thread.currentThread().isInterrupted(), "the watchdog's interrupt is cleared");
      assertEquals(List.of(), queueFiles(queue), "it withdrew its request");
    }
    assertTrue(FileSsotStore.open(file, Duration.ofMillis(700))
        .apply(RegistryEdit.Allocate.of(name("acme"), PROD)).created(), "free again: it works");
  }

  @Test
  void theLockWaitComesFromTheEnvironmentAndBadValuesAreRefused() {
    java.util.function.Function<String, Duration> wait = v -> FileSsotStoreFactory.lockWait(
        new kr.codeb.ProviderConfig(java.net.URI.create("file:///tmp/x.json"),
            java.util.Map.of(), n -> n.equals("CODEB_SSOT_LOCK_WAIT") ? v : null));
    assertEquals(Duration.ofSeconds(30), wait.apply(null));
    assertEquals(Duration.ofMillis(500), wait.apply("500ms"));
    assertEquals(Duration.ofMinutes(2), wait.apply("2m"));
    for (String bad : List.of("0s", "-1s", "soon", "5h")) {
      InvalidRequestException e = assertThrows(InvalidRequestException.class,
          () -> wait.apply(bad));
      assertTrue(e.getMessage().contains("CODEB_SSOT_LOCK_WAIT"), e.getMessage());
    }
  }

  @Test
  @Timeout(90)
  void editsQueuedByTwoProcessesWhileTheLockIsHeldGoIntoOneWrite() throws Exception {
    Path file = seedFile();
    EditQueue queue = EditQueue.beside(file.toRealPath());
    Process other;
    CompletableFuture<ProjectPorts> mine;
    byte[] before = Files.readAllBytes(file);
    try (LockHolder holder = LockHolder.start(dir.resolve("ssot.json.lock"))) {
      other = ApplyProcess.start(file, "allocate", "other");
      awaitRequest(queue);
      mine = CompletableFuture.supplyAsync(() -> FileSsotStore.open(file)
          .apply(RegistryEdit.Allocate.of(name("mine"), PROD)));
      awaitRequests(queue, 2);
    }
    ProjectPorts mineGot = mine.get(60, TimeUnit.SECONDS);
    String otherGot = ApplyProcess.output(other);
    assertTrue(mineGot.created());
    assertTrue(otherGot.startsWith("allocated true "), otherGot);
    assertNotEquals(otherGot, "allocated true " + mineGot.ports().blue() + " "
        + mineGot.ports().green());
    Registry after = FileSsotStore.open(file).read();
    assertEquals(mineGot.ports(), after.ports(name("mine"), PROD).orElseThrow());
    assertEquals(otherGot, "allocated true " + after.ports(name("other"), PROD).orElseThrow()
        .blue() + " " + after.ports(name("other"), PROD).orElseThrow().green());
    assertArrayEquals(before, Files.readAllBytes(dir.resolve("ssot.json.bak")),
        "both edits went into one write");
    assertEquals(List.of(), queueFiles(queue));
  }

  /**
   * A combiner that took the request, wrote the file and died before answering: the requester
   * finds no answer, applies its edit itself, and the edit being idempotent, the file holds
   * the pair once; the requester is told the pair was already there.
   */
  @Test
  @Timeout(90)
  void aCombinerThatDiesAfterItsWriteLeavesTheRequesterToApplyAgainIdempotently()
      throws Exception {
    Path file = seedFile();
    EditQueue queue = EditQueue.beside(file.toRealPath());
    Process requester;
    try (LockHolder combiner = LockHolder.start(dir.resolve("ssot.json.lock"))) {
      requester = ApplyProcess.start(file, "allocate", "acme");
      Path request = awaitRequest(queue);
      // What the combiner did before it died: removed the request, applied it, wrote the file.
      String id = request.getFileName().toString().replace(".req", "");
      EditCodec.Request r = EditCodec.readRequest(id, Files.readAllBytes(request));
      Files.delete(request);
      SsotCodec codec = new SsotCodec(file.toString());
      byte[] current = Files.readAllBytes(file);
      Registry applied = r.edit().apply(codec.read(current)).registry();
      Files.write(file, codec.write(current, applied));
    }
    String got = ApplyProcess.output(requester);
    assertEquals("allocated false 4104 4105", got);
    Registry after = FileSsotStore.open(file).read();
    assertEquals(List.of(4104, 4105), after.allocations().values().stream()
        .filter(a -> a.project().equals(name("acme"))).map(a -> a.port()).toList());
    assertEquals(List.of(), queueFiles(queue));
  }

  /** A combiner that died before its write: the requester applies its edit, as new. */
  @Test
  @Timeout(90)
  void aCombinerThatDiesBeforeItsWriteLeavesTheRequesterToApplyItsEdit() throws Exception {
    Path file = seedFile();
    EditQueue queue = EditQueue.beside(file.toRealPath());
    Process requester;
    try (LockHolder combiner = LockHolder.start(dir.resolve("ssot.json.lock"))) {
      requester = ApplyProcess.start(file, "allocate", "acme");
      Files.delete(awaitRequest(queue));
    }
    assertEquals("allocated true 4104 4105", ApplyProcess.output(requester));
    assertEquals(new SlotPorts(4104, 4105),
        FileSsotStore.open(file).read().ports(name("acme"), PROD).orElseThrow());
  }

  private static EditCodec.Answer answer(EditQueue queue, EditQueue.Ticket ticket,
      RegistryEdit<?> edit) {
    return queue.takeAnswer(ticket, edit).orElseThrow(() -> new AssertionError("no answer"));
  }

  private static void assertRefused(EditQueue queue, String id, String problem)
      throws IOException {
    Path request = queue.dir().resolve(id + ".req");
    assertFalse(Files.exists(request), "refused requests are removed: " + request);
    EditCodec.Answer answer = EditCodec.readAnswer(id, RegistryEdit.Allocate.of(name("x"), PROD),
        Files.readAllBytes(queue.dir().resolve(id + ".done")));
    Files.delete(queue.dir().resolve(id + ".done"));
    InvalidRequestException e = assertInstanceOf(InvalidRequestException.class, answer.failure());
    assertTrue(e.getMessage().contains(request.toString())
        && e.getMessage().contains("malformed") && e.getMessage().contains(problem),
        e.getMessage());
  }

  private static String request(String id, String project, String extra) {
    return "{\"format\":\"codeb-ssot-edit\",\"version\":1,\"id\":\"" + id + "\",\"posted\":1,"
        + "\"edit\":\"allocate\",\"project\":\"" + project + "\",\"environment\":\"production\","
        + "\"portsInUse\":[]" + extra + "}";
  }

  /** Names in the queue folder, sorted; temporary files included. */
  private static List<String> queueFiles(EditQueue queue) throws IOException {
    if (!Files.exists(queue.dir())) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(queue.dir())) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static Path awaitRequest(EditQueue queue) throws Exception {
    return awaitRequests(queue, 1).get(0);
  }

  private static List<Path> awaitRequests(EditQueue queue, int count) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (Files.isDirectory(queue.dir())) {
        try (Stream<Path> files = Files.list(queue.dir())) {
          List<Path> requests = files.filter(p -> p.getFileName().toString().endsWith(".req")
              && !p.getFileName().toString().startsWith(".")).toList();
          if (requests.size() >= count) {
            return requests;
          }
        }
      }
      Thread.sleep(10);
    }
    throw new AssertionError(count + " request(s) never appeared in " + queue.dir());
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** Another process holding the SSOT's lock, as a combiner in the middle of its write. */
  private static final class LockHolder implements AutoCloseable {
    private final Process process;

    private LockHolder(Process process) {
      this.process = process;
    }

    long pid() {
      return process.pid();
    }

    static LockHolder start(Path lockFile) throws IOException {
      Process p = new ProcessBuilder(java(), "-cp", System.getProperty("java.class.path"),
          LockHolderMain.class.getName(), lockFile.toString()).redirectErrorStream(true).start();
      BufferedReader out = new BufferedReader(
          new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String line = out.readLine();
      if (!"locked".equals(line)) {
        p.destroyForcibly();
        throw new AssertionError("the lock holder did not lock: " + line);
      }
      return new LockHolder(p);
    }

    @Override
    public void close() throws Exception {
      process.getOutputStream().close();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("the lock holder did not exit");
      }
    }
  }

  /** {@link ApplyMain} in another JVM. */
  private static final class ApplyProcess {
    static Process start(Path file, String edit, String project) throws IOException {
      return new ProcessBuilder(java(), "-cp", System.getProperty("java.class.path"),
          ApplyMain.class.getName(), file.toString(), edit, project, "production")
          .redirectErrorStream(true).start();
    }

    static String output(Process p) throws Exception {
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the process hung");
      assertEquals(0, p.exitValue(), out);
      return out;
    }
  }
}
