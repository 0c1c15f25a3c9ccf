package kr.codeb.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import kr.codeb.model.Environment;
import kr.codeb.model.ProjectName;
import kr.codeb.ports.PortOperations;
import kr.codeb.ports.ProjectPorts;
import kr.codeb.ports.Registry;
import kr.codeb.ssot.FileSsotStore;
import kr.codeb.ssot.internal.SsotCodec;
import kr.codeb.testkit.SeedData;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH, single process: an allocation on a file store (a fresh widened seed copy per iteration,
 * so the file does not grow without bound), and the codec's decode of the seed (bytes in memory,
 * and through FileSsotStore.read, i.e. with the file read and the revision digest).
 */
@BenchmarkMode(Mode.AverageTime)
@Fork(value = 1, jvmArgsAppend = {"-Xmx256m"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SsotBench {

  @State(Scope.Thread)
  public static class FileState {
    Path dir;
    Path file;
    FileSsotStore store;
    PortOperations ports;
    int next;
    final Environment env = Environment.of("production");

    @Setup(Level.Iteration)
    public void setUp() throws IOException {
      dir = Files.createTempDirectory("codeb-jmh-");
      file = BenchFiles.writeWideSeed(dir);
      store = FileSsotStore.open(file);
      ports = new PortOperations(store);
    }

    @TearDown(Level.Iteration)
    public void tearDown() throws IOException {
      store.close();
      try (Stream<Path> s = Files.walk(dir)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @State(Scope.Benchmark)
  public static class SeedState {
    byte[] seed;
    SsotCodec codec;
    Path dir;
    FileSsotStore store;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
      seed = SeedData.ssotBytes();
      codec = new SsotCodec("seed-ssot.json");
      dir = Files.createTempDirectory("codeb-jmh-read-");
      store = FileSsotStore.open(SeedData.copySsotTo(dir));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
      try (Stream<Path> s = Files.walk(dir)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** PortOperations.allocate of a new project on a file store: lock, read-modify-write, 2 fsyncs. */
  @Benchmark
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public ProjectPorts allocateOnFileStore(FileState s) {
    return s.ports.allocate(ProjectName.of("jmh-" + s.next++), s.env);
  }

  /** SsotCodec.read of the seed's bytes (parse, validate, model, revision digest). */
  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public Registry codecReadSeed(SeedState s) {
    return s.codec.read(s.seed);
  }

  /** FileSsotStore.read of a seed copy: the file read plus the codec. */
  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public Registry fileStoreReadSeed(SeedState s) {
    return s.store.read();
  }
}
