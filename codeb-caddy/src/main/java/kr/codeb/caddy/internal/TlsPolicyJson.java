package kr.codeb.caddy.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;

/**
 * How the TLS automation policy CodeB keeps for its server with {@code tls=internal} looks in
 * Caddy's JSON config ({@link TlsPolicySync} writes it).
 *
 * <pre>{@code
 * {"@id":"codeb-tls-<server>","subjects":["app.example"],"issuers":[{"module":"internal"}]}
 * }</pre>
 */
public final class TlsPolicyJson {
  private TlsPolicyJson() {}

  /** The {@code @id} of {@code server}'s policy. */
  public static String policyId(String server) {
    return "codeb-tls-" + server;
  }

  /**
   * {@code {"@id":"codeb-tls-<server>","subjects":[...],"issuers":[{"module":"internal"}]}};
   * with no hosts the subject is {@link #noHostSubject}, since a policy without subjects would
   * apply to every name in Caddy.
   */
  public static ObjectNode internalPolicy(String server, Collection<String> hosts) {
    ObjectNode policy = JsonNodeFactory.instance.objectNode();
    policy.put("@id", policyId(server));
    ArrayNode subjects = policy.putArray("subjects");
    if (hosts.isEmpty()) {
      subjects.add(noHostSubject(server));
    } else {
      hosts.forEach(subjects::add);
    }
    policy.putArray("issuers").addObject().put("module", "internal");
    return policy;
  }

  /**
   * The subject of an empty TLS policy of {@code server}: a reserved {@code .invalid} name no
   * client sends, one per server, because Caddy refuses two policies naming the same subject
   * (two CodeB servers with no routes on one Caddy would otherwise block every later change).
   */
  public static String noHostSubject(String server) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(server.getBytes(StandardCharsets.UTF_8));
      return "codeb-no-host-" + HexFormat.of().formatHex(digest, 0, 6) + ".invalid";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
