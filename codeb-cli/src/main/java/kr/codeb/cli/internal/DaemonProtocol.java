package kr.codeb.cli.internal;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The wire format between {@code we} and its daemon, over a Unix domain socket.
 *
 * <p>The client sends one request: the magic number, a kind ({@link #RUN}, {@link #STATUS} or
 * {@link #STOP}) and, for {@code RUN}, the working folder, the arguments and the environment.
 * The daemon answers with frames, each a type byte and a length-prefixed body:
 * {@link #STDOUT} and {@link #STDERR} chunks as the command writes them, {@link #TEXT} for a
 * status or stop answer, and one final {@link #EXIT} with the exit code.
 *
 * <p>Sizes are bounded so a stray or hostile peer cannot make the daemon allocate without
 * limit: a request is refused past {@link #MAX_REQUEST_BYTES}.
 */
final class DaemonProtocol {
  static final int MAGIC = 0x57450001; // "WE", version 1
  static final byte RUN = 1;
  static final byte STATUS = 2;
  static final byte STOP = 3;

  static final byte STDOUT = 'o';
  static final byte STDERR = 'e';
  static final byte TEXT = 't';
  static final byte EXIT = 'x';

  static final int MAX_REQUEST_BYTES = 4 << 20;

  private DaemonProtocol() {}

  /** One command line to run: where, what, and with which environment. */
  record Request(byte kind, Path workDir, List<String> args, Map<String, String> env) {
    Request {
      args = List.copyOf(args);
      env = Map.copyOf(env);
    }

    static Request control(byte kind) {
      return new Request(kind, Path.of("/"), List.of(), Map.of());
    }

    /** The environment only, never the values: they can hold API keys. */
    @Override
    public String toString() {
      return "Request[kind=" + kind + ", workDir=" + workDir + ", args=" + args.size()
          + ", env=" + env.size() + " variables]";
    }
  }

  static void writeRequest(DataOutputStream out, Request request) throws IOException {
    out.writeInt(MAGIC);
    out.writeByte(request.kind());
    if (request.kind() == RUN) {
      writeString(out, request.workDir().toString());
      out.writeInt(request.args().size());
      for (String a : request.args()) {
        writeString(out, a);
      }
      out.writeInt(request.env().size());
      for (Map.Entry<String, String> e : request.env().entrySet()) {
        writeString(out, e.getKey());
        writeString(out, e.getValue());
      }
    }
    out.flush();
  }

  /**
   * Reads one request.
   *
   * @throws IOException if the peer speaks another protocol, sends more than
   *     {@link #MAX_REQUEST_BYTES}, or hangs up half-way
   */
  static Request readRequest(DataInputStream in) throws IOException {
    if (in.readInt() != MAGIC) {
      throw new IOException("not a we client (wrong magic number)");
    }
    byte kind = in.readByte();
    if (kind == STATUS || kind == STOP) {
      return Request.control(kind);
    }
    if (kind != RUN) {
      throw new IOException("unknown request kind " + kind + " (allowed: 1 run, 2 status, 3 stop)");
    }
    int[] budget = {MAX_REQUEST_BYTES};
    Path workDir = Path.of(readString(in, budget));
    if (!workDir.isAbsolute()) {
      throw new IOException("the working folder must be absolute: " + workDir);
    }
    int argc = count(in, budget);
    List<String> args = new ArrayList<>(argc);
    for (int i = 0; i < argc; i++) {
      args.add(readString(in, budget));
    }
    int envc = count(in, budget);
    Map<String, String> env = new LinkedHashMap<>();
    for (int i = 0; i < envc; i++) {
      env.put(readString(in, budget), readString(in, budget));
    }
    return new Request(RUN, workDir, args, env);
  }

  /** Writes one frame; callers that share the stream synchronise on it. */
  static void writeFrame(DataOutputStream out, byte type, byte[] body, int off, int len)
      throws IOException {
    out.writeByte(type);
    out.writeInt(len);
    out.write(body, off, len);
  }

  static void writeExit(DataOutputStream out, int code) throws IOException {
    out.writeByte(EXIT);
    out.writeInt(4);
    out.writeInt(code);
    out.flush();
  }

  static void writeText(DataOutputStream out, String text) throws IOException {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    writeFrame(out, TEXT, body, 0, body.length);
  }

  /**
   * Copies the answer's frames to the streams until the exit frame.
   *
   * @return the exit code
   * @throws EOFException if the daemon hung up before the exit frame (it stopped or died)
   */
  static int readAnswer(DataInputStream in, OutputStream out, OutputStream err, StringBuilder text)
      throws IOException {
    byte[] buffer = new byte[8192];
    while (true) {
      byte type = in.readByte();
      int len = in.readInt();
      if (len < 0 || len > MAX_REQUEST_BYTES) {
        throw new IOException("bad frame length " + len);
      }
      if (type == EXIT) {
        return in.readInt();
      }
      OutputStream target = type == STDOUT ? out : type == STDERR ? err : null;
      int left = len;
      while (left > 0) {
        int n = in.read(buffer, 0, Math.min(buffer.length, left));
        if (n < 0) {
          throw new EOFException("the daemon hung up in the middle of a frame");
        }
        if (target != null) {
          target.write(buffer, 0, n);
        } else if (type == TEXT) {
          text.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
        }
        left -= n;
      }
      if (target != null) {
        target.flush();
      }
    }
  }

  private static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  private static int count(DataInputStream in, int[] budget) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > budget[0] / 4) {
      throw new IOException("bad count " + n + " in request");
    }
    return n;
  }

  private static String readString(DataInputStream in, int[] budget) throws IOException {
    int len = in.readInt();
    if (len < 0 || len > budget[0]) {
      throw new IOException("request larger than " + MAX_REQUEST_BYTES + " bytes");
    }
    budget[0] -= len + 4;
    byte[] bytes = in.readNBytes(len);
    if (bytes.length != len) {
      throw new EOFException("request cut short");
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
