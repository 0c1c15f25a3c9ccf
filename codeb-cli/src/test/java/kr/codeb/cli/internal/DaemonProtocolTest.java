package kr.codeb.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The daemon's wire format: a request survives the trip; anything else is refused, bounded. */
class DaemonProtocolTest {

  private static DataInputStream bytes(ByteArrayOutputStream b) {
    return new DataInputStream(new ByteArrayInputStream(b.toByteArray()));
  }

  @Test
  void aRequestArrivesAsItWasSent() throws IOException {
    DaemonProtocol.Request sent = new DaemonProtocol.Request(DaemonProtocol.RUN,
        Path.of("/srv/app"), List.of("deploy", "app", "--env", "production", "ünïcode"),
        Map.of("CODEB_SSOT", "ssot.json", "EMPTY", ""));
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    DaemonProtocol.writeRequest(new DataOutputStream(b), sent);
    assertEquals(sent, DaemonProtocol.readRequest(bytes(b)));
  }

  @Test
  void framesAreCopiedToTheirStreamsUntilTheExitCode() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(b);
    byte[] hello = "hello\n".getBytes(StandardCharsets.UTF_8);
    byte[] oops = "oops\n".getBytes(StandardCharsets.UTF_8);
    DaemonProtocol.writeFrame(out, DaemonProtocol.STDOUT, hello, 0, hello.length);
    DaemonProtocol.writeFrame(out, DaemonProtocol.STDERR, oops, 0, oops.length);
    DaemonProtocol.writeText(out, "pid=1");
    DaemonProtocol.writeExit(out, 3);
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    StringBuilder text = new StringBuilder();
    assertEquals(3, DaemonProtocol.readAnswer(bytes(b), stdout, stderr, text));
    assertEquals("hello\n", stdout.toString(StandardCharsets.UTF_8));
    assertEquals("oops\n", stderr.toString(StandardCharsets.UTF_8));
    assertEquals("pid=1", text.toString());
  }

  @Test
  void anotherProtocolIsRefused() {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    IOException e = assertThrows(IOException.class, () -> DaemonProtocol.readRequest(bytes(b)));
    assertTrue(e.getMessage().contains("magic"), e.getMessage());
  }

  @Test
  void anUnknownKindIsRefusedNamingTheAllowedOnes() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(b);
    out.writeInt(DaemonProtocol.MAGIC);
    out.writeByte(9);
    IOException e = assertThrows(IOException.class, () -> DaemonProtocol.readRequest(bytes(b)));
    assertTrue(e.getMessage().contains("1 run, 2 status, 3 stop"), e.getMessage());
  }

  @Test
  void anOversizedStringIsRefusedBeforeItIsAllocated() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(b);
    out.writeInt(DaemonProtocol.MAGIC);
    out.writeByte(DaemonProtocol.RUN);
    out.writeInt(Integer.MAX_VALUE);
    IOException e = assertThrows(IOException.class, () -> DaemonProtocol.readRequest(bytes(b)));
    assertTrue(e.getMessage().contains("larger than"), e.getMessage());
  }

  @Test
  void aRelativeWorkingFolderIsRefused() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    DaemonProtocol.writeRequest(new DataOutputStream(b), new DaemonProtocol.Request(
        DaemonProtocol.RUN, Path.of("relative"), List.of(), Map.of()));
    IOException e = assertThrows(IOException.class, () -> DaemonProtocol.readRequest(bytes(b)));
    assertTrue(e.getMessage().contains("absolute"), e.getMessage());
  }

  @Test
  void theDaemonGetsAnAbsoluteClassPathBecauseItRunsInItsOwnFolder() {
    String cwd = Path.of("").toAbsolutePath().toString();
    assertEquals(cwd + "/a.jar:/opt/b.jar:" + cwd + "/classes",
        DaemonCommand.absoluteClassPath("a.jar:/opt/b.jar:classes/"));
  }

  @Test
  void aRequestCutShortIsAnError() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    DaemonProtocol.writeRequest(new DataOutputStream(b), new DaemonProtocol.Request(
        DaemonProtocol.RUN, Path.of("/x"), List.of("ssot", "show"), Map.of()));
    byte[] whole = b.toByteArray();
    ByteArrayOutputStream cut = new ByteArrayOutputStream();
    cut.write(whole, 0, whole.length - 6);
    assertThrows(IOException.class, () -> DaemonProtocol.readRequest(bytes(cut)));
  }
}
