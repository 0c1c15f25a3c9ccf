package kr.codeb.mcp.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;

/**
 * The client's messages on their way to the SDK's stdio transport, one JSON-RPC message per
 * line. The SDK's classic server API neither hands a tool its request id nor acts on
 * {@code notifications/cancelled}; this tap does both: it adds the request id of every
 * {@code tools/call} to its {@code _meta} (as {@value #REQUEST_ID_META}), and marks a call
 * cancelled in {@link Cancellations} when the client cancels it. Every other line passes
 * unchanged.
 *
 * <p>The end of input is what ends the server ({@link #awaitEnd()}), but the SDK is told of it
 * only once the calls already sent have ended and their answers had a moment to be written: the
 * SDK closes its session at the end of input and would drop them. So a client that sends its
 * calls and closes its end (a pipe) gets every answer, and a deploy is never cut off half-way
 * because its client went away.
 */
final class InputTap extends InputStream {
  /** The {@code _meta} key carrying a call's JSON-RPC request id (its JSON text). */
  static final String REQUEST_ID_META = "kr.codeb/request-id";

  private final InputStream in;
  private final ObjectMapper mapper;
  private final Cancellations cancellations;
  private final CountDownLatch ended = new CountDownLatch(1);
  private final java.time.Duration openCallsLimit;
  private final java.io.PrintStream log;
  private byte[] line = new byte[0];
  private int pos;

  /** Time for the SDK to write an answer once its call has returned. */
  private static final long FLUSH_GRACE_MILLIS = 300;

  /**
   * @param openCallsLimit how long the end of input waits for the calls still running
   * @param log where a wait cut short is reported
   */
  InputTap(InputStream in, ObjectMapper mapper, Cancellations cancellations,
      java.time.Duration openCallsLimit, java.io.PrintStream log) {
    this.openCallsLimit = openCallsLimit;
    this.log = log;
    this.in = new BufferedInputStream(in);
    this.mapper = mapper;
    this.cancellations = cancellations;
  }

  /** Waits until the client has closed its end. */
  void awaitEnd() throws InterruptedException {
    ended.await();
  }

  @Override
  public synchronized int read() throws IOException {
    if (!fill()) {
      return -1;
    }
    return line[pos++] & 0xff;
  }

  @Override
  public synchronized int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (!fill()) {
      return -1;
    }
    int n = Math.min(len, line.length - pos);
    System.arraycopy(line, pos, b, off, n);
    pos += n;
    return n;
  }

  /** Makes sure some of a line is left to read; false at the end of input. */
  private boolean fill() throws IOException {
    while (pos >= line.length) {
      ByteArrayOutputStream next = new ByteArrayOutputStream(256);
      int c;
      while ((c = in.read()) != -1) {
        next.write(c);
        if (c == '\n') {
          break;
        }
      }
      if (next.size() == 0) {
        finishOpenCalls();
        ended.countDown();
        return false;
      }
      line = look(next.toByteArray());
      pos = 0;
    }
    return true;
  }

  private void finishOpenCalls() {
    try {
      if (!cancellations.awaitNoneOpen(openCallsLimit)) {
        log.println("we mcp: calls still running " + openCallsLimit.toMinutes() + " minutes"
            + " after the client closed its end; stopping anyway");
      }
      Thread.sleep(FLUSH_GRACE_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The line as the SDK gets it; a line that is no JSON object passes unchanged. */
  private byte[] look(byte[] raw) {
    try {
      JsonNode message = mapper.readTree(raw);
      if (message == null || !message.isObject()) {
        return raw;
      }
      String method = message.path("method").asText("");
      if (method.equals("notifications/cancelled")) {
        JsonNode id = message.path("params").path("requestId");
        if (!id.isMissingNode()) {
          cancellations.cancel(id.toString());
        }
        return raw;
      }
      if (method.equals("tools/call") && message.has("id")
          && message.path("params").isObject()) {
        ObjectNode params = (ObjectNode) message.get("params");
        JsonNode meta = params.get("_meta");
        ObjectNode m = meta instanceof ObjectNode o ? o : params.putObject("_meta");
        m.put(REQUEST_ID_META, message.get("id").toString());
        cancellations.sent(message.get("id").toString());
        return (mapper.writeValueAsString(message) + "\n").getBytes(StandardCharsets.UTF_8);
      }
      return raw;
    } catch (IOException | RuntimeException e) {
      return raw; // not JSON: the SDK answers it as it does
    }
  }
}
