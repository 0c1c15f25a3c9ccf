package kr.codeb.caddy.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import kr.codeb.ConflictException;
import kr.codeb.caddy.internal.AdminClient.Snapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates CodeB's server in Caddy's config without touching anything else: walks down
 * {@code apps.http.servers.<name>} to the deepest part that exists and creates the rest there
 * with one POST guarded by the root's ETag.
 */
public final class ServerCreation {
  private static final Logger LOG = LoggerFactory.getLogger(ServerCreation.class);

  private ServerCreation() {}

  /** True once the server exists (made here or by someone else); false if races kept winning. */
  public static boolean create(AdminClient admin, String adminAddress, String server,
      List<String> listen, boolean automaticHttps) {
    for (int attempt = 1; attempt <= AdminClient.ATTEMPTS; attempt++) {
      Snapshot root = admin.get("/config/");
      JsonNodeFactory f = JsonNodeFactory.instance;
      JsonNode value = CaddyJson.server(listen, automaticHttps);
      // Walk down from the server to the deepest part that exists; create the rest there.
      String[] keys = {"apps", "http", "servers", server};
      JsonNode node = root.body();
      int present = 0;
      while (present < keys.length && node.path(keys[present]).isObject()) {
        node = node.get(keys[present]);
        present++;
      }
      if (present == keys.length) {
        return true; // someone (another CodeB) created it meanwhile
      }
      if (node.has(keys[present]) && !node.get(keys[present]).isNull()) {
        throw new ConflictException("cannot create Caddy server " + server + ": "
            + String.join(".", java.util.Arrays.copyOf(keys, present + 1))
            + " exists in the config at " + adminAddress + " but is not an object", "caddy", 0, null);
      }
      for (int i = keys.length - 1; i > present; i--) {
        ObjectNode parent = f.objectNode();
        parent.set(keys[i], value);
        value = parent;
      }
      StringBuilder path = new StringBuilder("/config");
      for (int i = 0; i <= present; i++) {
        path.append('/').append(keys[i]);
      }
      if (root.missing()) {
        ObjectNode whole = f.objectNode();
        whole.set("apps", value);
        value = whole;
        path = new StringBuilder("/config/");
      }
      // POST sets the key (it is absent or null, as the ETag guarantees).
      if (admin.change("POST", path.toString(), value, root.etag())) {
        LOG.info("created Caddy server {} listening on {} (automatic HTTPS {})", server,
            listen, automaticHttps ? "on" : "off");
        return true;
      }
      AdminClient.backOff(attempt);
    }
    return false;
  }
}
