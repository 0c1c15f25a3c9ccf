package kr.codeb.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import kr.codeb.InvalidRequestException;

/**
 * One call to an API: what {@link ApiClient#send} sends.
 *
 * @param method {@code GET}, {@code POST}, {@code PUT}, {@code PATCH} or {@code DELETE}
 * @param path the path below the API's base, starting with {@code /}, already encoded
 * @param query query parameters (encoded by the client), in order
 * @param headers extra headers (never a secret: secrets go in {@link ApiSettings#credential})
 * @param json the JSON body, or null for none
 * @param idempotent whether repeating the call has the same effect as making it once; only such
 *     calls are retried after an answer or a failure that may have reached the server
 * @param accepted statuses other than 2xx that are answers, not failures (a 404 that means
 *     "absent", a 412 that means "changed meanwhile")
 * @param what how messages name the call ("read zone example.com.")
 */
public record ApiCall(String method, String path, Map<String, String> query,
    Map<String, String> headers, byte[] json, boolean idempotent, Set<Integer> accepted,
    String what) {

  private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");

  public ApiCall {
    Objects.requireNonNull(method, "method");
    if (!METHODS.contains(method)) {
      throw new InvalidRequestException("HTTP method must be one of " + new TreeSet<>(METHODS)
          + ", not '" + method + "'");
    }
    Objects.requireNonNull(path, "path");
    if (!path.startsWith("/")) {
      throw new InvalidRequestException("an API path starts with '/', not '" + path + "'");
    }
    query = java.util.Collections.unmodifiableMap(
        new LinkedHashMap<>(Objects.requireNonNull(query, "query")));
    headers = Map.copyOf(Objects.requireNonNull(headers, "headers"));
    json = json == null ? null : json.clone();
    accepted = Set.copyOf(Objects.requireNonNull(accepted, "accepted"));
    Objects.requireNonNull(what, "what");
  }

  /** A GET: idempotent. */
  public static ApiCall get(String path) {
    return new ApiCall("GET", path, Map.of(), Map.of(), null, true, Set.of(), "GET " + path);
  }

  /** A DELETE: idempotent (deleting what is gone is the same end state). */
  public static ApiCall delete(String path) {
    return new ApiCall("DELETE", path, Map.of(), Map.of(), null, true, Set.of(), "DELETE " + path);
  }

  /** A call with a JSON body ({@code null}: none), idempotent or not as the caller knows. */
  public static ApiCall send(String method, String path, byte[] json, boolean idempotent) {
    return new ApiCall(method, path, Map.of(), Map.of(), json, idempotent, Set.of(),
        method + " " + path);
  }

  public ApiCall withQuery(Map<String, String> parameters) {
    LinkedHashMap<String, String> all = new LinkedHashMap<>(query);
    all.putAll(parameters);
    return new ApiCall(method, path, all, headers, json, idempotent, accepted, what);
  }

  public ApiCall withHeader(String name, String value) {
    Map<String, String> all = new LinkedHashMap<>(headers);
    all.put(name, value);
    return new ApiCall(method, path, query, all, json, idempotent, accepted, what);
  }

  /** The same, answering {@code statuses} instead of throwing. */
  public ApiCall accepting(Integer... statuses) {
    return new ApiCall(method, path, query, headers, json, idempotent, Set.of(statuses), what);
  }

  public ApiCall describedAs(String description) {
    return new ApiCall(method, path, query, headers, json, idempotent, accepted, description);
  }

  /** The JSON body (a copy), or null. */
  @Override
  public byte[] json() {
    return json == null ? null : json.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ApiCall c && method.equals(c.method) && path.equals(c.path)
        && query.equals(c.query) && headers.equals(c.headers)
        && java.util.Arrays.equals(json, c.json) && idempotent == c.idempotent
        && accepted.equals(c.accepted) && what.equals(c.what);
  }

  @Override
  public int hashCode() {
    return Objects.hash(method, path, query, headers, java.util.Arrays.hashCode(json), idempotent,
        accepted, what);
  }

  @Override
  public String toString() {
    return "ApiCall[" + what + "]";
  }
}
