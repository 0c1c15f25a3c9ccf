package kr.codeb.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What wrk's requests got, by status, from a Lua script that counts 200, 503 and any other status
 * per thread and prints the sums and wrk's socket errors on one line.
 */
record WrkStatuses(long s200, long s503, long other, long errors) {
  private static final String SCRIPT = """
      local threads = {}
      function setup(thread) table.insert(threads, thread) end
      function init(args) s200 = 0; s503 = 0; other = 0 end
      function response(status, headers, body)
        if status == 200 then s200 = s200 + 1
        elseif status == 503 then s503 = s503 + 1
        else other = other + 1 end
      end
      function done(summary, latency, requests)
        local a, b, c = 0, 0, 0
        for _, t in ipairs(threads) do
          a = a + t:get("s200"); b = b + t:get("s503"); c = c + t:get("other")
        end
        local e = summary.errors
        io.write(string.format("codeb-statuses s200=%d s503=%d other=%d errors=%d\\n",
          a, b, c, e.connect + e.read + e.write + e.timeout))
      end
      """;
  private static final Pattern LINE = Pattern.compile(
      "codeb-statuses s200=(\\d+) s503=(\\d+) other=(\\d+) errors=(\\d+)");

  /** Writes the script into {@code dir}. */
  static Path script(Path dir) throws IOException {
    return Files.writeString(dir.resolve("statuses.lua"), SCRIPT);
  }

  /** The counts from wrk's output. */
  static WrkStatuses parse(String output) {
    Matcher m = LINE.matcher(output);
    if (!m.find()) {
      throw new IllegalStateException("no status line in wrk's output:\n" + output);
    }
    return new WrkStatuses(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)),
        Long.parseLong(m.group(3)), Long.parseLong(m.group(4)));
  }

  @Override
  public String toString() {
    return "requests=" + (s200 + s503 + other + errors) + " 200=" + s200 + " 503=" + s503
        + " other=" + other + " errors=" + errors;
  }
}
