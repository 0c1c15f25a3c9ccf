package kr.codeb.docker.internal;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.InspectExecResponse;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import kr.codeb.CodeBException;
import kr.codeb.ConflictException;
import kr.codeb.NotFoundException;
import kr.codeb.UnavailableException;
import kr.codeb.runtime.ContainerId;
import kr.codeb.runtime.ExecIo;
import kr.codeb.runtime.ExecRequest;

/**
 * A command run in a running container through the engine's exec endpoints: create, start
 * attached (stdin through the hijacked connection when asked), then the exit code from the
 * exec's inspect. The command is never logged or put in a message: its arguments may be secret.
 */
final class EngineExec {
  private static final Duration FOREVER = Duration.ofDays(3650);
  private static final Duration EXIT_WAIT = Duration.ofSeconds(10);

  private EngineExec() {}

  static int run(Connector connector, EngineDialect dialect, ContainerId id, ExecRequest request,
      ExecIo io) {
    String provider = dialect.provider();
    String where = connector.where();
    String what = "running a command in container " + id;
    DockerClient client = connector.client();
    InspectContainerResponse container;
    try {
      container = client.inspectContainerCmd(id.value()).exec();
    } catch (RuntimeException e) {
      CodeBException mapped = Errors.map(e, what, where, List.of(), dialect);
      if (mapped instanceof NotFoundException) {
        throw new NotFoundException("no container " + id + " on " + provider + " at " + where,
            provider, 404, e);
      }
      throw mapped;
    }
    if (container.getState() == null || !Boolean.TRUE.equals(container.getState().getRunning())) {
      throw new ConflictException("container " + id + " on " + provider + " at " + where
          + " is not running (" + (container.getState() == null ? "no state"
          : container.getState().getStatus()) + "); commands run only in a running container",
          provider, 409, null);
    }
    try {
      String execId = client.execCreateCmd(container.getId())
          .withCmd(request.command().toArray(String[]::new))
          .withAttachStdout(true).withAttachStderr(true)
          .withAttachStdin(request.stdin())
          .withTty(request.tty())
          .exec().getId();
      if (request.stdin()) {
        try {
          HijackedExec.start(connector.address(), execId, request.tty(), io.stdin(), io.stdout(),
              io.stderr());
        } catch (java.io.IOException e) {
          throw new UnavailableException("passing input to the command in container " + id
              + " on " + provider + " at " + where + " failed: " + e.getMessage(), provider, 0, e);
        }
        return exitCode(client, execId, provider, where, id);
      }
      Copier copier = new Copier(io.stdout(), io.stderr());
      client.execStartCmd(execId).withDetach(false).withTty(request.tty()).exec(copier);
      try {
        copier.await(FOREVER, provider);
      } catch (RuntimeException e) {
        // Some engines (Podman) refuse to start a program that is missing or not executable
        // instead of reporting its exit code: the shell's codes say the same.
        String text = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
        if (text.contains("not found") || text.contains("no such file")) {
          return 127;
        }
        if (text.contains("permission denied")) {
          return 126;
        }
        throw e;
      }
      if (copier.writeFailure != null) {
        throw new UnavailableException("writing the output of the command in container " + id
            + " failed: " + copier.writeFailure.getMessage(), provider, 0, copier.writeFailure);
      }
      return exitCode(client, execId, provider, where, id);
    } catch (RuntimeException e) {
      if (e instanceof CodeBException c) {
        throw c;
      }
      throw Errors.map(e, what, where, List.of(), dialect);
    }
  }

  /** The exec's exit code, once the engine reports it ended (it may lag the stream's end). */
  private static int exitCode(DockerClient client, String execId, String provider, String where,
      ContainerId id) {
    long until = System.nanoTime() + EXIT_WAIT.toNanos();
    while (true) {
      InspectExecResponse r = client.inspectExecCmd(execId).exec();
      if (!Boolean.TRUE.equals(r.isRunning()) && r.getExitCodeLong() != null) {
        return r.getExitCodeLong().intValue();
      }
      if (System.nanoTime() > until) {
        throw new UnavailableException("the command in container " + id + " on " + provider
            + " at " + where + " closed its output but did not report an exit code within "
            + EXIT_WAIT.toSeconds() + " s", provider, 0, null);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new UnavailableException("interrupted while waiting for the command's exit code",
            provider, 0, e);
      }
    }
  }

  /** Copies the exec's frames to the caller's streams as they come. */
  private static final class Copier extends QuietCallback<Frame> {
    private final OutputStream out;
    private final OutputStream err;
    private volatile IOException writeFailure;

    Copier(OutputStream out, OutputStream err) {
      this.out = out;
      this.err = err;
    }

    @Override
    public void onNext(Frame frame) {
      OutputStream target = frame.getStreamType() == StreamType.STDERR ? err : out;
      try {
        target.write(frame.getPayload());
        target.flush();
      } catch (IOException e) {
        writeFailure = e;
        close();
      }
    }
  }
}
