package kr.codeb.ssothttp;

import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import kr.codeb.ConflictException;
import kr.codeb.ProviderConfig;
import kr.codeb.ProviderInfo;
import kr.codeb.UnavailableException;
import kr.codeb.UnsupportedFeatureException;
import kr.codeb.ports.CompareAndSet;
import kr.codeb.ports.Registry;
import kr.codeb.ports.RegistryEdit;
import kr.codeb.ports.RepairReport;
import kr.codeb.ports.SsotStore;
import kr.codeb.ssothttp.internal.ServerLocation;
import kr.codeb.ssothttp.internal.SsotApi;

/**
 * The SSOT of a {@code we ssot serve} server: {@code http(s)://HOST[:PORT][/PATH][?ca=FILE]},
 * the bearer token in {@code CODEB_SSOT_TOKEN} (never in the URI, never in a message or
 * {@link #toString()}). For {@code https} the server's certificate is checked against the JDK's
 * CAs, or only against the PEM file that {@code ca=} or {@code CODEB_SSOT_CA} names (a private
 * CA, a self-signed certificate); the host name is always checked.
 *
 * <ul>
 *   <li>{@link #read()}: {@code GET /api/ssot/document}, the registry as a v7 document with
 *       every field the model carries; its revision is the server's {@code ETag}.
 *   <li>{@link #apply} of an allocation or a release: one {@code POST} with the edit as data
 *       ({@code If-Match: *}); the server applies it to the registry as stored at that moment,
 *       under its store's atomicity, and answers the outcome. No race is lost, so none is
 *       retried.
 *   <li>{@link #apply} of a repair: the document is read, the repair run here; if it changes
 *       anything, {@code POST /api/ssot/repair} with {@code If-Match} of that read, which the
 *       server stores only if the registry is still that revision (same input, same result).
 *       A 412 reads again and retries, for about {@link CompareAndSet#GIVE_UP_AFTER}, then a
 *       {@link ConflictException}. Needs a token with the {@code repair} scope.
 * </ul>
 *
 * <p>Failures: 401/403 {@link kr.codeb.AuthException} (also when no token is set), 404
 * {@link kr.codeb.NotFoundException}, 409 {@link ConflictException}, 400 and the like
 * {@link kr.codeb.InvalidRequestException} with the server's message, 429, 5xx, refused or
 * timed-out connections {@link UnavailableException} naming the URL, after codeb-http's bounded
 * retries (4 attempts within 10 s; every call is idempotent, writes too, by the contract of
 * {@link RegistryEdit}); an answer that is not the server's JSON
 * {@link kr.codeb.InvalidRequestException}. Opening does no I/O; thread-safe.
 */
public final class HttpSsotStore implements SsotStore {
  private final ServerLocation location;
  private final SsotApi api;

  private HttpSsotStore(ServerLocation location, SsotApi api) {
    this.location = location;
    this.api = api;
  }

  /**
   * The store a URI names (see the class comment); the token is the config's credential
   * {@code token}, else {@code CODEB_SSOT_TOKEN}. A missing token fails at the first call.
   *
   * @throws kr.codeb.InvalidRequestException if the URI is not of that form (the message never
   *     repeats a refused part)
   */
  public static HttpSsotStore open(ProviderConfig config) {
    Objects.requireNonNull(config, "config");
    ServerLocation location = ServerLocation.of(config);
    return new HttpSsotStore(location, new SsotApi(location, config.secret("ssot", "token")));
  }

  @Override
  public ProviderInfo info() {
    return new ProviderInfo(SsotApi.PROVIDER, location.base().toString());
  }

  @Override
  public Registry read() {
    return api.document().registry();
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> T apply(RegistryEdit<T> edit) {
    Objects.requireNonNull(edit, "edit");
    if (edit instanceof RegistryEdit.Allocate a) {
      return (T) api.allocate(a.project(), a.environment(), a.portsInUse());
    }
    if (edit instanceof RegistryEdit.Release r) {
      return (T) Boolean.valueOf(api.release(r.project(), r.environment()));
    }
    if (edit instanceof RegistryEdit.Repair repair) {
      return (T) repair(repair);
    }
    // Ranges and storage service ports have no endpoint on `we ssot serve` yet.
    throw new UnsupportedFeatureException("the SSOT over HTTP at " + location.base() + " takes"
        + " allocate, release and repair only, not " + edit.getClass().getSimpleName()
        + ": run this command with the SSOT's file (or postgresql://) store on its server",
        SsotApi.PROVIDER, 0, null);
  }

  private RepairReport repair(RegistryEdit.Repair edit) {
    long deadline = System.nanoTime() + CompareAndSet.GIVE_UP_AFTER.toNanos();
    for (int attempt = 1; ; attempt++) {
      SsotApi.Fetched before = api.document();
      RegistryEdit.Applied<RepairReport> applied = edit.apply(before.registry());
      if (applied.registry().sameContent(before.registry())
          || api.repairIfUnchanged(edit.dropUnclaimed(), before.etag())) {
        return applied.outcome();
      }
      if (System.nanoTime() > deadline) {
        throw new ConflictException("gave up after " + attempt + " attempts: the registry at "
            + location.base() + " kept changing under this repair (HTTP 412 each time)",
            SsotApi.PROVIDER, 412, null);
      }
      pause(attempt);
    }
  }

  private static void pause(int attempt) {
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(Math.min(50, 1L << attempt) + 1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnavailableException("interrupted while retrying a repair", e);
    }
  }

  @Override
  public void close() {
    api.close();
  }

  @Override
  public String toString() {
    return "HttpSsotStore[" + location.base() + "]";
  }
}
