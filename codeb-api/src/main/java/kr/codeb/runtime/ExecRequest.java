package kr.codeb.runtime;

import java.util.List;
import kr.codeb.InvalidRequestException;

/**
 * A command to run inside a running container.
 *
 * @param command the program and its arguments (no shell unless the command names one); never
 *     logged by CodeB, as arguments may hold secrets
 * @param stdin whether the caller's input is passed to the command (its end closes the command's
 *     input); without it the command's input is empty
 * @param tty whether the command gets a terminal (its stderr then arrives on stdout)
 */
public record ExecRequest(List<String> command, boolean stdin, boolean tty) {
  public ExecRequest {
    if (command == null || command.isEmpty()) {
      throw new InvalidRequestException("no command given to run in the container: give the"
          + " program and its arguments, e.g. sh -c 'echo hi'");
    }
    command = List.copyOf(command);
    if (command.get(0).isBlank()) {
      throw new InvalidRequestException("the command to run in the container must not start"
          + " with an empty program name");
    }
  }

  /** {@code command} without input or terminal. */
  public static ExecRequest of(String... command) {
    return new ExecRequest(List.of(command), false, false);
  }

  @Override
  public String toString() {
    return "ExecRequest[program=" + command.get(0) + ", args=" + (command.size() - 1)
        + ", stdin=" + stdin + ", tty=" + tty + "]";
  }
}
