package kr.codeb.caddy.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;
import kr.codeb.caddy.internal.AdminClient.Snapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the internal-issuer TLS policy {@code codeb-tls-<server>} in step with a set of host
 * names, and the local CA's {@code install_trust} false (tests must never touch the machine's
 * trust store). Each part is written at its own path, guarded by its ETag, and only when it
 * differs.
 */
public final class TlsPolicySync {
  private static final Logger LOG = LoggerFactory.getLogger(TlsPolicySync.class);

  private final AdminClient admin;
  private final String server;

  public TlsPolicySync(AdminClient admin, String server) {
    this.admin = admin;
    this.server = server;
  }

  /** Makes the policy cover exactly {@code subjects}; false if concurrent changes kept winning. */
  public boolean sync(Set<String> subjects) {
    ObjectNode policy = TlsPolicyJson.internalPolicy(server, subjects);
    String policyId = TlsPolicyJson.policyId(server);
    for (int attempt = 1; attempt <= AdminClient.ATTEMPTS; attempt++) {
      if (!ensurePath("/config/apps/pki", "certificate_authorities", "local", "install_trust",
          JsonNodeFactory.instance.booleanNode(false))) {
        AdminClient.backOff(attempt);
        continue;
      }
      Snapshot tls = admin.get("/config/apps/tls");
      JsonNode policies = tls.body().path("automation").path("policies");
      boolean done;
      if (tls.missing()) {
        ObjectNode value = JsonNodeFactory.instance.objectNode();
        value.putObject("automation").putArray("policies").add(policy);
        done = admin.change("POST", "/config/apps/tls", value, tls.etag());
      } else if (!tls.body().path("automation").isObject()) {
        ObjectNode value = JsonNodeFactory.instance.objectNode();
        value.putArray("policies").add(policy);
        done = admin.change("POST", "/config/apps/tls/automation", value, tls.etag());
      } else if (!policies.isArray()) {
        done = admin.change("POST", "/config/apps/tls/automation/policies",
            JsonNodeFactory.instance.arrayNode().add(policy), tls.etag());
      } else {
        int index = CaddyJson.indexOf(policies, policyId);
        if (index >= 0 && policies.get(index).equals(policy)) {
          return true;
        }
        if (index >= 0) {
          done = admin.change("PATCH", "/config/apps/tls/automation/policies/" + index, policy,
              tls.etag());
        } else if (policies.size() == 0) {
          // Caddy 2.6 cannot PUT (insert) at index 0 of an empty array: POST appends.
          done = admin.change("POST", "/config/apps/tls/automation/policies", policy, tls.etag());
        } else {
          // A new policy goes first, so a catch-all policy of someone else never shadows it.
          done = admin.change("PUT", "/config/apps/tls/automation/policies/0", policy, tls.etag());
        }
      }
      if (done) {
        LOG.info("Caddy TLS policy {} (internal issuer) now covers {}", policyId, subjects);
        return true;
      }
      AdminClient.backOff(attempt);
    }
    return false;
  }

  /** Removes the policy (for {@code tls=auto}); nothing when there is none. */
  public void remove() {
    String path = "/id/" + TlsPolicyJson.policyId(server);
    if (admin.get(path).missing()) {
      return;
    }
    try {
      admin.change("DELETE", path, null, null);
      LOG.info("Caddy TLS policy {} removed (tls=auto)", TlsPolicyJson.policyId(server));
    } catch (kr.codeb.NotFoundException e) {
      // removed meanwhile
    }
  }

  /**
   * Makes {@code base/k1/k2/.../leaf} hold {@code value}, creating what is missing; false when
   * a concurrent change got in the way (retry).
   */
  private boolean ensurePath(String base, String k1, String k2, String leaf, JsonNode value) {
    Snapshot snap = admin.get(base);
    String[] keys = {k1, k2, leaf};
    JsonNode node = snap.body();
    StringBuilder path = new StringBuilder(base);
    if (snap.missing()) {
      return admin.change("POST", base, nest(keys, 0, value), snap.etag());
    }
    for (int i = 0; i < keys.length; i++) {
      JsonNode next = node.path(keys[i]);
      path.append('/').append(keys[i]);
      if (i == keys.length - 1) {
        if (next.equals(value)) {
          return true;
        }
        return admin.change(next.isMissingNode() || next.isNull() ? "POST" : "PATCH",
            path.toString(), value, snap.etag());
      }
      if (!next.isObject()) {
        return admin.change("POST", path.toString(), nest(keys, i + 1, value), snap.etag());
      }
      node = next;
    }
    return true;
  }

  private static JsonNode nest(String[] keys, int from, JsonNode value) {
    JsonNode result = value;
    for (int i = keys.length - 1; i >= from; i--) {
      ObjectNode parent = JsonNodeFactory.instance.objectNode();
      parent.set(keys[i], result);
      result = parent;
    }
    return result;
  }
}
