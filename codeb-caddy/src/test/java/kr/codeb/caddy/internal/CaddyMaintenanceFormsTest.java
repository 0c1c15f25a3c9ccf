package kr.codeb.caddy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import kr.codeb.model.IpAddress;
import kr.codeb.proxy.Maintenance;
import kr.codeb.proxy.Route;
import kr.codeb.proxy.Upstream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file form's page template, the guard every route gets, and local edge files. */
class CaddyMaintenanceFormsTest {
  @TempDir Path dir;

  @Test
  void thePageTemplateSetsRetryAfterAndNeverHoldsATemplateAction() {
    Maintenance mode = new Maintenance("Back {{.Host}} at 10 & <soon>", Duration.ofSeconds(42));
    String template = CaddyMaintenance.pageTemplate(mode);
    assertTrue(template.startsWith("{{.RespHeader.Set \"Retry-After\" \"42\"}}<!doctype"),
        template);
    assertEquals(1, template.split("\\{\\{", -1).length - 1, template);
    assertTrue(template.contains("Back &#123;&#123;.Host&#125;&#125; at 10 &amp; &lt;soon&gt;"),
        template);
    assertEquals(mode, CaddyMaintenance.parseTemplate(template));
  }

  @Test
  void everyRouteGetsTheGuardInTheFileFormAndKeepsTheConfigFormOtherwise() {
    ObjectNode route = CaddyJson.route(new Route("shop-prod", List.of("shop.test"),
        new Upstream(IpAddress.of("127.0.0.1"), 4100)));
    CaddyMaintenance files = new CaddyMaintenance(null, "/srv/m", new EdgeFiles.Local());
    ObjectNode kept = files.keep(null, route.deepCopy());
    assertEquals(CaddyMaintenance.guard("shop-prod", "/srv/m"), kept.path("handle").get(0));
    assertEquals("/shop-prod.on", kept.path("handle").get(0).path("routes").path(0)
        .path("match").path(0).path("file").path("try_files").path(0).asText());
    assertEquals("reverse_proxy", kept.path("handle").get(1).path("handler").asText());
    assertEquals(kept, files.keep(kept, kept.deepCopy()), "the guard is never doubled");

    CaddyMaintenance config = new CaddyMaintenance(null);
    assertFalse(CaddyMaintenance.find(config.keep(null, route.deepCopy())).isPresent());
    ObjectNode on = route.deepCopy();
    ((ArrayNode) on.path("handle")).insert(0,
        CaddyMaintenance.handler("shop-prod", Maintenance.of(Duration.ofSeconds(5))));
    assertEquals(on, config.keep(on, route.deepCopy()));
    // a guard left from the file form is not carried into the config form
    assertEquals(route, config.keep(kept, route.deepCopy()));
  }

  @Test
  void localFilesAreWrittenAtomicallyWorldReadableAndDeletedIdempotently() throws Exception {
    EdgeFiles files = new EdgeFiles.Local();
    String path = dir.resolve("made/shop.html").toString();
    assertEquals(Optional.empty(), files.read(path));
    files.write(path, "one".getBytes(StandardCharsets.UTF_8));
    files.write(path, "two".getBytes(StandardCharsets.UTF_8));
    assertEquals("two", new String(files.read(path).orElseThrow(), StandardCharsets.UTF_8));
    assertEquals("rw-r--r--",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(path))));
    try (var listing = Files.list(dir.resolve("made"))) {
      assertEquals(1, listing.count(), "no temporary file left");
    }
    assertTrue(files.exists(path));
    assertTrue(files.delete(path));
    assertFalse(files.delete(path));
    assertFalse(files.exists(path));
  }
}
