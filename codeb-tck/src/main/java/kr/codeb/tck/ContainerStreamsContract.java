package kr.codeb.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import kr.codeb.ConflictException;
import kr.codeb.InvalidRequestException;
import kr.codeb.NotFoundException;
import kr.codeb.runtime.ContainerId;
import kr.codeb.runtime.ExecIo;
import kr.codeb.runtime.ExecRequest;
import kr.codeb.runtime.LogLine;
import kr.codeb.runtime.LogQuery;
import kr.codeb.runtime.LogReader;
import org.junit.jupiter.api.Test;

/**
 * The streaming parts of a {@link kr.codeb.runtime.ContainerRuntime}: {@code readLogs} (tail,
 * since, follow, sources) and {@code exec} (exit code, stdout and stderr apart, stdin, the
 * container's environment). A runtime's test extends this instead of
 * {@link ContainerRuntimeContract}, which it includes; the test image also needs {@code cat}.
 */
public abstract class ContainerStreamsContract extends ContainerRuntimeContract {
  private static final Duration READ_WAIT = Duration.ofSeconds(30);

  private ContainerId chatty() {
    ContainerId id = runtime().run(spec("chatty", Map.of(), Map.of(), List.of(),
        shell("echo oops >&2; sleep 1; echo one; echo two; echo three; exec sleep 3600")));
    eventually("the last log line of " + id, () -> runtime().logs(id, 1),
        s -> s.strip().equals("three"));
    return id;
  }

  private static List<LogLine> readAll(LogReader reader) {
    return assertTimeoutPreemptively(READ_WAIT, () -> {
      List<LogLine> lines = new ArrayList<>();
      try (reader) {
        for (Optional<LogLine> l = reader.next(); l.isPresent(); l = reader.next()) {
          lines.add(l.get());
        }
      }
      return lines;
    });
  }

  private static List<String> texts(List<LogLine> lines) {
    return lines.stream().map(LogLine::text).toList();
  }

  @Test
  public final void readLogsGivesTheLinesWithTheirSources() {
    ContainerId id = chatty();
    List<LogLine> all = readAll(runtime().readLogs(id, LogQuery.all()));
    assertEquals(List.of("oops", "one", "two", "three"), texts(all));
    assertEquals(new LogLine(LogLine.Source.STDERR, "oops"), all.get(0));
    assertEquals(new LogLine(LogLine.Source.STDOUT, "one"), all.get(1));
  }

  @Test
  public final void readLogsTailsTheLastLines() {
    ContainerId id = chatty();
    assertEquals(List.of("two", "three"), texts(readAll(runtime().readLogs(id, LogQuery.tail(2)))));
    assertEquals(List.of(), readAll(runtime().readLogs(id, LogQuery.tail(0))));
    assertEquals(List.of("oops", "one", "two", "three"),
        texts(readAll(runtime().readLogs(id, LogQuery.tail(100)))));
  }

  @Test
  public final void readLogsSinceSkipsOlderLines() {
    ContainerId id = chatty();
    Instant now = Instant.now();
    assertEquals(List.of(), readAll(runtime().readLogs(id,
        LogQuery.all().withSince(now.plus(Duration.ofHours(1))))));
    assertEquals(List.of("oops", "one", "two", "three"), texts(readAll(runtime().readLogs(id,
        LogQuery.all().withSince(now.minus(Duration.ofHours(1)))))));
  }

  @Test
  public final void followReadsNewLinesUntilTheContainerStops() throws Exception {
    ContainerId id = runtime().run(spec("follow", Map.of(), Map.of(), List.of(),
        shell("echo first; sleep 2; echo second; exec sleep 3600")));
    LogReader reader = runtime().readLogs(id, LogQuery.all().following());
    List<LogLine> seen = new ArrayList<>();
    assertTimeoutPreemptively(READ_WAIT, () -> {
      while (seen.size() < 2) {
        seen.add(reader.next().orElseThrow(() -> new AssertionError("ended after " + seen)));
      }
    });
    assertEquals(List.of("first", "second"), texts(seen));
    CompletableFuture<Optional<LogLine>> after = CompletableFuture.supplyAsync(reader::next);
    runtime().stop(id, Duration.ofSeconds(1));
    assertEquals(Optional.empty(), after.get(READ_WAIT.toSeconds(), TimeUnit.SECONDS));
    reader.close();
    reader.close(); // idempotent
  }

  @Test
  public final void closeEndsAWaitingFollow() throws Exception {
    ContainerId id = runtime().run(spec("quiet", Map.of(), Map.of(), List.of(),
        shell("echo only; exec sleep 3600")));
    eventually("the log line of " + id, () -> runtime().logs(id, 1), s -> s.contains("only"));
    LogReader reader = runtime().readLogs(id, LogQuery.tail(5).following());
    assertEquals("only", assertTimeoutPreemptively(READ_WAIT,
        () -> reader.next().orElseThrow()).text());
    CompletableFuture<Optional<LogLine>> waiting = CompletableFuture.supplyAsync(reader::next);
    Thread.sleep(300);
    assertTrue(!waiting.isDone(), "a follow must wait for new lines");
    reader.close();
    assertEquals(Optional.empty(), waiting.get(READ_WAIT.toSeconds(), TimeUnit.SECONDS));
    assertTrue(runtime().inspect(id).orElseThrow().isRunning(), "closing must not stop it");
  }

  @Test
  public final void readLogsOfAnUnknownContainerIsNotFound() {
    assertThrows(NotFoundException.class,
        () -> runtime().readLogs(new ContainerId(name("ghost")), LogQuery.all()));
  }

  @Test
  public final void aNegativeTailIsRefused() {
    InvalidRequestException e = assertThrows(InvalidRequestException.class,
        () -> new LogQuery(OptionalInt.of(-1), Optional.empty(), false));
    assertTrue(e.getMessage().contains("-1"), e::getMessage);
  }

  private ContainerId sleeper(Map<String, String> env) {
    ContainerId id = runtime().run(spec("exec", Map.of(), env, List.of(),
        shell("exec sleep 3600")));
    eventually("running " + id, () -> runtime().inspect(id).orElseThrow(), i -> i.isRunning());
    return id;
  }

  /** The output of one exec: exit code, stdout, stderr. */
  protected record Ran(int code, String out, String err) {}

  /** Runs {@code request} in {@code id} with {@code stdin} as input. */
  protected final Ran exec(ContainerId id, ExecRequest request, String stdin) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = assertTimeoutPreemptively(READ_WAIT, () -> runtime().exec(id, request,
        new ExecIo(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), out, err)));
    return new Ran(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  public final void execReturnsTheExitCodeWithStdoutAndStderrApart() {
    ContainerId id = sleeper(Map.of());
    Ran ran = exec(id, new ExecRequest(shell("echo out; echo err >&2; exit 7"), false, false), "");
    assertEquals(new Ran(7, "out\n", "err\n"), ran);
    assertEquals(0, exec(id, new ExecRequest(shell("true"), false, false), "").code());
  }

  @Test
  public final void execPassesStdinThrough() {
    ContainerId id = sleeper(Map.of());
    assertEquals(new Ran(0, "hello\nworld\n", ""),
        exec(id, new ExecRequest(List.of("cat"), true, false), "hello\nworld\n"));
    // without stdin asked for, the command reads an empty input
    assertEquals(new Ran(0, "", ""),
        exec(id, new ExecRequest(List.of("cat"), false, false), "ignored\n"));
  }

  @Test
  public final void execSeesTheContainersEnvironment() {
    String value = "tck-exec-" + UUID.randomUUID();
    ContainerId id = sleeper(Map.of("CODEB_TCK_SECRET", value));
    assertEquals(new Ran(0, value + "\n", ""),
        exec(id, new ExecRequest(shell("echo $CODEB_TCK_SECRET"), false, false), ""));
  }

  @Test
  public final void execOfAMissingProgramExits126Or127() {
    ContainerId id = sleeper(Map.of());
    Ran ran = exec(id, ExecRequest.of("codeb-tck-no-such-program"), "");
    assertTrue(ran.code() == 126 || ran.code() == 127, ran::toString);
  }

  @Test
  public final void execNeedsARunningContainer() {
    assertThrows(NotFoundException.class,
        () -> runtime().exec(new ContainerId(name("nobody")), ExecRequest.of("true"), io()));
    ContainerId id = sleeper(Map.of());
    runtime().stop(id, Duration.ofSeconds(1));
    ConflictException e = assertThrows(ConflictException.class,
        () -> runtime().exec(id, ExecRequest.of("true"), io()));
    assertTrue(e.getMessage().contains("not running"), e::getMessage);
  }

  @Test
  public final void anEmptyCommandIsRefused() {
    assertThrows(InvalidRequestException.class, () -> new ExecRequest(List.of(), false, false));
    assertThrows(InvalidRequestException.class, () -> new ExecRequest(List.of(" "), false, false));
    String secret = "tck-arg-" + UUID.randomUUID();
    assertTrue(!new ExecRequest(List.of("sh", "-c", secret), false, false).toString()
        .contains(secret), "an exec request's toString must not show arguments");
  }

  private static ExecIo io() {
    return new ExecIo(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream(),
        new ByteArrayOutputStream());
  }

  @Test
  public final void runOnceReturnsExitCodeAndOutputAndLeavesNothing() {
    String value = "tck-once-" + UUID.randomUUID();
    kr.codeb.runtime.ContainerSpec ok = spec("once-ok", Map.of(),
        Map.of("CODEB_TCK_SECRET", value), List.of(),
        shell("echo one; echo \"v=$CODEB_TCK_SECRET\"; exit 0"));
    kr.codeb.runtime.OneOffResult r = assertTimeoutPreemptively(READ_WAIT,
        () -> runtime().runOnce(ok, Duration.ofSeconds(20), 10));
    assertEquals(new kr.codeb.runtime.OneOffResult(0, "one\nv=" + value + "\n", false), r);
    assertTrue(r.succeeded());
    assertEquals(Optional.empty(), runtime().inspect(new ContainerId(ok.name())));

    kr.codeb.runtime.ContainerSpec bad = spec("once-bad", Map.of(), Map.of(), List.of(),
        shell("echo a; echo b; echo migration failed; exit 3"));
    kr.codeb.runtime.OneOffResult failed = assertTimeoutPreemptively(READ_WAIT,
        () -> runtime().runOnce(bad, Duration.ofSeconds(20), 2));
    assertEquals(3, failed.exitCode());
    assertFalse(failed.timedOut());
    assertEquals("b\nmigration failed", failed.output().strip());
    assertEquals(Optional.empty(), runtime().inspect(new ContainerId(bad.name())));
  }

  /**
   * Whether {@code runOnce} with an output consumer passes lines while the container runs
   * (real engines); {@code false} for a runtime that passes the tail when it ends.
   */
  protected boolean followsOneOffOutput() {
    return true;
  }

  @Test
  public final void runOnceStreamsTheOutputAsItIsWritten() {
    kr.codeb.runtime.ContainerSpec spec = spec("once-stream", Map.of(), Map.of(), List.of(),
        shell("echo first; sleep 3; echo second >&2; exit 4"));
    List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
    List<Long> arrived = java.util.Collections.synchronizedList(new ArrayList<>());
    long t0 = System.nanoTime();
    kr.codeb.runtime.OneOffResult r = assertTimeoutPreemptively(READ_WAIT,
        () -> runtime().runOnce(spec, Duration.ofSeconds(20), 10, line -> {
          lines.add(line);
          arrived.add(System.nanoTime());
        }));
    long returned = System.nanoTime();
    assertEquals(4, r.exitCode());
    assertEquals(List.of("first", "second"), List.copyOf(lines));
    assertEquals("first\nsecond", r.output().strip());
    assertEquals(Optional.empty(), runtime().inspect(new ContainerId(spec.name())));
    if (followsOneOffOutput()) {
      long early = TimeUnit.NANOSECONDS.toMillis(returned - arrived.get(0));
      assertTrue(early >= 1500, "the first line arrived " + early + " ms before the end (t0 "
          + TimeUnit.NANOSECONDS.toMillis(arrived.get(0) - t0) + " ms): not streamed");
    }
  }

  @Test
  public final void runOnceKillsACommandThatOutlivesTheTimeout() {
    kr.codeb.runtime.ContainerSpec slow = spec("once-slow", Map.of(), Map.of(), List.of(),
        shell("echo started; exec sleep 3600"));
    kr.codeb.runtime.OneOffResult r = assertTimeoutPreemptively(READ_WAIT,
        () -> runtime().runOnce(slow, Duration.ofSeconds(3), 5));
    assertTrue(r.timedOut(), r::toString);
    assertFalse(r.succeeded());
    assertEquals(Optional.empty(), runtime().inspect(new ContainerId(slow.name())));
  }

  @Test
  public final void runOnceRefusesATakenNameAndBadLimits() {
    kr.codeb.runtime.ContainerSpec first = spec("once-taken", Map.of(), Map.of(), List.of(),
        shell("exec sleep 3600"));
    runtime().run(first);
    assertThrows(ConflictException.class,
        () -> runtime().runOnce(first, Duration.ofSeconds(5), 5));
    assertTrue(runtime().inspect(new ContainerId(first.name())).orElseThrow().isRunning());
    kr.codeb.runtime.ContainerSpec other = spec("once-limits", Map.of(), Map.of(), List.of(),
        shell("exit 0"));
    assertThrows(InvalidRequestException.class,
        () -> runtime().runOnce(other, Duration.ZERO, 5));
    assertThrows(InvalidRequestException.class,
        () -> runtime().runOnce(other, Duration.ofSeconds(5), -1));
  }
}
