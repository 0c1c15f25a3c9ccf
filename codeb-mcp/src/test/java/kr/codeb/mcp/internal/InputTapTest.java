package kr.codeb.mcp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The tap gives tool calls their request id, sees cancellations, and passes the rest as is. */
class InputTapTest {
  private final ObjectMapper mapper = new ObjectMapper();

  @Test
  void toolCallsCarryTheirIdCancellationsMarkThemAndOtherLinesPassUnchanged() throws Exception {
    String input = String.join("\n",
        "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"deploy\","
            + "\"arguments\":{},\"_meta\":{\"progressToken\":1}}}",
        "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":7}}",
        "not json at all",
        "{\"jsonrpc\":\"2.0\",\"id\":\"x\",\"method\":\"tools/list\"}") + "\n";
    Cancellations cancellations = new Cancellations();
    AtomicBoolean call7 = cancellations.register("7");
    InputTap tap = new InputTap(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
        mapper, cancellations, java.time.Duration.ofSeconds(5), System.err);
    BufferedReader lines = new BufferedReader(new InputStreamReader(tap, StandardCharsets.UTF_8));
    JsonNode call = mapper.readTree(lines.readLine());
    assertEquals("7", call.get("params").get("_meta").get(InputTap.REQUEST_ID_META).asText());
    assertEquals(1, call.get("params").get("_meta").get("progressToken").asInt());
    assertEquals("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":"
        + "{\"requestId\":7}}", lines.readLine());
    assertTrue(call7.get(), "the call was marked cancelled");
    assertEquals("not json at all", lines.readLine());
    assertEquals("{\"jsonrpc\":\"2.0\",\"id\":\"x\",\"method\":\"tools/list\"}", lines.readLine());
    cancellations.done("7"); // the end of input is given once the open call has ended
    assertEquals(null, lines.readLine());
    Thread waiter = new Thread(() -> {
      try {
        tap.awaitEnd();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    waiter.start();
    waiter.join(TimeUnit.SECONDS.toMillis(5));
    assertTrue(!waiter.isAlive(), "the end of input ends the server");
  }

  @Test
  void aCancellationThatArrivesBeforeItsCallRegisteredIsKept() {
    Cancellations c = new Cancellations();
    c.cancel("\"a\"");
    assertTrue(c.register("\"a\"").get());
    assertTrue(!c.register("\"b\"").get());
  }
}
