package kr.codeb.ssot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kr.codeb.deploy.DeployKey;
import kr.codeb.deploy.EnvSource;
import kr.codeb.deploy.ReleaseOutcome;
import kr.codeb.deploy.ReleaseRecord;
import kr.codeb.model.Environment;
import kr.codeb.model.ProjectName;
import kr.codeb.model.Slot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The history file's lines: where the environment came from and its hash, never its values. */
class ReleaseHistoryFormatTest {
  static final DeployKey ACME = new DeployKey(ProjectName.of("acme"),
      Environment.of("production"));

  @TempDir Path dir;

  @Test
  void aLineRecordsTheEnvironmentSourceAndHashButNoValue() throws Exception {
    Map<String, String> env = Map.of("TOKEN", "hunter2-value", "DB", "postgres://x");
    ReleaseRecord r = new ReleaseRecord(Instant.parse("2026-12-04T12:00:00Z"), ACME,
        "20261204T120000Z-abcd", "ci@runner", "ghcr.io/acme/web:1", Slot.BLUE, 4104, 8080,
        "/health", new EnvSource(Optional.of("/srv/acme.env"), List.of("TOKEN")),
        EnvSource.hashOf(env), ReleaseOutcome.DEPLOYED, "");
    try (FileReleaseStore store = FileReleaseStore.open(dir)) {
      store.append(r);
      assertEquals(List.of(r), store.history(ACME));
    }
    String line = Files.readString(dir.resolve("releases/acme-production.jsonl"),
        StandardCharsets.UTF_8);
    assertTrue(line.contains("\"env\":{\"file\":\"/srv/acme.env\",\"optionKeys\":[\"TOKEN\"],"
        + "\"hash\":\"sha256:"), line);
    assertFalse(line.contains("hunter2") || line.contains("postgres"), line);
  }

  @Test
  void aLineWrittenBeforeEnvironmentsWereRecordedReadsAsUnrecorded() throws Exception {
    Files.createDirectories(dir.resolve("releases"));
    Files.writeString(dir.resolve("releases/acme-production.jsonl"), "{\"time\":"
        + "\"2026-12-01T00:00:00Z\",\"project\":\"acme\",\"environment\":\"production\","
        + "\"release\":\"r1\",\"actor\":\"a@b\",\"image\":\"web:1\",\"slot\":\"blue\","
        + "\"port\":4104,\"containerPort\":8080,\"healthPath\":\"/health\","
        + "\"outcome\":\"deployed\",\"message\":\"\"}\n");
    try (FileReleaseStore store = FileReleaseStore.open(dir)) {
      ReleaseRecord old = store.history(ACME).get(0);
      assertEquals(EnvSource.NONE, old.envSource());
      assertEquals(EnvSource.UNRECORDED, old.envHash());
    }
  }
}
