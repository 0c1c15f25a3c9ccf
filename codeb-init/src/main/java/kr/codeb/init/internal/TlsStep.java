package kr.codeb.init.internal;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import kr.codeb.UnavailableException;
import kr.codeb.init.InitRequest;
import kr.codeb.init.InitStep;
import kr.codeb.init.StepAction;
import kr.codeb.init.StepPlan;
import kr.codeb.init.StepResult;
import kr.codeb.init.TlsEndpoint;

/**
 * Step 8: waits until the edge serves a certificate for the domain (the proxy gets it by
 * itself once the site exists), up to the request's deadline, and reports its issuer. Creates
 * nothing: the certificate belongs to the proxy.
 */
public final class TlsStep implements InitStep {
  static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);
  static final Duration POLL = Duration.ofMillis(500);
  private final InitRequest request;
  private final Optional<TlsEndpoint> endpoint;

  public TlsStep(InitRequest request, Optional<TlsEndpoint> endpoint) {
    this.request = request;
    this.endpoint = endpoint;
  }

  @Override
  public String id() {
    return "tls";
  }

  @Override
  public String title() {
    return "TLS certificate";
  }

  @Override
  public StepPlan plan() {
    if (endpoint.isEmpty()) {
      return StepPlan.of(this, StepAction.UNCHANGED, List.of("no TLS listener to ask"
          + " (--tls-check HOST:PORT)"));
    }
    TlsProbe.Seen seen = TlsProbe.look(endpoint.get(), request.domain(), PROBE_TIMEOUT);
    if (seen.names(request.domain())) {
      return StepPlan.of(this, StepAction.UNCHANGED, List.of(describe(seen)));
    }
    return StepPlan.of(this, StepAction.CREATE, List.of("wait up to "
        + request.tlsDeadline().toSeconds() + " s for " + endpoint.get() + " to serve a"
        + " certificate for " + request.domain()));
  }

  @Override
  public StepResult apply(StepPlan plan) {
    long deadline = System.nanoTime() + request.tlsDeadline().toNanos();
    TlsProbe.Seen seen;
    while (true) {
      seen = TlsProbe.look(endpoint.orElseThrow(), request.domain(), PROBE_TIMEOUT);
      if (seen.names(request.domain())) {
        return StepResult.done(plan, List.of(describe(seen)), List.of());
      }
      if (System.nanoTime() >= deadline) {
        break;
      }
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new UnavailableException("interrupted while waiting for the certificate of "
            + request.domain(), e);
      }
    }
    throw new UnavailableException(endpoint.get() + " served no certificate for "
        + request.domain() + " within " + request.tlsDeadline().toSeconds() + " s (last: "
        + (seen.certificate().isPresent() ? "a certificate for other names from "
            + seen.issuer() : seen.why()) + "); check that DNS points at the edge and the"
        + " proxy listens for HTTPS");
  }

  private String describe(TlsProbe.Seen seen) {
    return "certificate for " + request.domain() + " from " + seen.issuer() + ", valid until "
        + seen.certificate().orElseThrow().getNotAfter().toInstant();
  }

  @Override
  public List<String> undoPlan(List<String> created, boolean deleteData) {
    return List.of();
  }

  @Override
  public List<String> undo(List<String> created, boolean deleteData) {
    return List.of();
  }
}
