package kr.codeb.runtime;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;

/**
 * Where a command run in a container reads and writes. The runtime does not close these.
 *
 * @param stdin read when the request asks for input, until its end
 * @param stdout receives the command's standard output
 * @param stderr receives the command's standard error
 */
public record ExecIo(InputStream stdin, OutputStream stdout, OutputStream stderr) {
  public ExecIo {
    Objects.requireNonNull(stdin, "stdin");
    Objects.requireNonNull(stdout, "stdout");
    Objects.requireNonNull(stderr, "stderr");
  }
}
