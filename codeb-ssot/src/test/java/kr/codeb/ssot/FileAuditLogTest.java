package kr.codeb.ssot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import kr.codeb.ConflictException;
import kr.codeb.InvalidRequestException;
import kr.codeb.ProviderRegistry;
import kr.codeb.audit.AuditContext;
import kr.codeb.audit.AuditEntry;
import kr.codeb.audit.AuditLog;
import kr.codeb.audit.AuditQuery;
import kr.codeb.model.Environment;
import kr.codeb.model.ProjectName;
import kr.codeb.ports.ProjectPorts;
import kr.codeb.ports.RegistryEdit;
import kr.codeb.testkit.SeedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Edits of the file store are appended to {@code <ssot>.audit.jsonl}, and read back. */
class FileAuditLogTest {
  private static final Environment PROD = Environment.of("production");

  @TempDir Path dir;

  @Test
  void everyEditThatChangesTheFileIsAppendedAsOneLine() throws Exception {
    Path file = SeedData.copySsotTo(dir);
    FileSsotStore store = FileSsotStore.open(file);
    ProjectPorts acme = AuditContext.callAs(new AuditContext("tester@ci", "we ssot allocate acme"),
        () -> store.apply(RegistryEdit.Allocate.of(ProjectName.of("acme"), PROD)));
    store.apply(RegistryEdit.Allocate.of(ProjectName.of("acme"), PROD)); // held: no line
    store.apply(new RegistryEdit.Release(ProjectName.of("acme"), PROD));
    store.apply(new RegistryEdit.Release(ProjectName.of("acme"), PROD)); // nothing: no line
    store.apply(new RegistryEdit.Repair(true));
    Path log = dir.resolve("ssot.json.audit.jsonl");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(log)));
    List<String> lines = Files.readAllLines(log);
    String pair = "{\"blue\":" + acme.ports().blue() + ",\"green\":" + acme.ports().green() + "}";
    assertTrue(lines.get(0).contains("\"actor\":\"tester@ci\",\"command\":\"we ssot allocate"
        + " acme\",\"provider\":\"file\",\"target\":\"ssot:project/acme/production\","
        + "\"action\":\"allocate\",\"project\":\"acme\",\"before\":null,\"after\":" + pair),
        lines.get(0));
    assertTrue(lines.get(1).contains("\"action\":\"release\",\"project\":\"acme\",\"before\":"
        + pair + ",\"after\":null"), lines.get(1));
    try (AuditLog read = ProviderRegistry.load().auditLog(file.toString())) {
      List<AuditEntry> all = read.read(AuditQuery.all());
      assertEquals(lines.size(), all.size());
      assertEquals(List.of("allocate", "release"), all.subList(0, 2).stream()
          .map(AuditEntry::action).toList());
      assertTrue(all.subList(2, all.size()).stream().allMatch(e -> e.action().equals("repair")
          && e.target().startsWith("ssot:ports.allocated/")), all::toString);
      assertEquals(2, read.read(new AuditQuery(Optional.empty(),
          Optional.of(ProjectName.of("acme")), 100)).size());
      assertEquals(List.of(), read.read(new AuditQuery(Optional.of(Instant.now().plusSeconds(60)),
          Optional.empty(), 100)));
      assertEquals(1, read.read(new AuditQuery(Optional.empty(), Optional.empty(), 1)).size());
    }
  }

  @Test
  void aMissingLogIsEmptyAndABrokenLineIsNamedWithoutItsContent() throws Exception {
    Path file = SeedData.copySsotTo(dir);
    FileAuditLog log = FileAuditLog.besideSsot(file);
    assertEquals(List.of(), log.read(AuditQuery.all()));
    log.append(new AuditEntry(Instant.now(), "a", "c", "file", "ssot:x", "allocate",
        Optional.empty(), "null", "{\"k\":1}"));
    Files.writeString(log.path(), "{\"secret\":\"hunter2\"\n", StandardOpenOption.APPEND);
    InvalidRequestException e = assertThrows(InvalidRequestException.class,
        () -> log.read(AuditQuery.all()));
    assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
  }

  @Test
  void importingADocumentIsAuditedAndRefusesToOverwriteWithoutReplace() throws Exception {
    Path file = dir.resolve("new.json");
    FileSsotStore store = FileSsotStore.open(file);
    assertTrue(store.importDocument(SeedData.ssotBytes(), false));
    assertFalse(store.importDocument(SeedData.ssotBytes(), false), "same bytes: nothing to do");
    byte[] other = new String(SeedData.ssotBytes()).replace("\"7.0.0\"", "\"7.0.1\"").getBytes();
    assertThrows(ConflictException.class, () -> store.importDocument(other, false));
    assertThrows(InvalidRequestException.class, () -> store.importDocument("{".getBytes(), true));
    assertEquals(List.of("import"), FileAuditLog.besideSsot(file).read(AuditQuery.all())
        .stream().map(AuditEntry::action).toList());
    assertTrue(store.importDocument(other, true));
    assertEquals(new String(other), Files.readString(file));
  }
}
