package kr.codeb.cli.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import kr.codeb.InputFiles;
import kr.codeb.InvalidRequestException;
import kr.codeb.NotFoundException;
import kr.codeb.UnavailableException;
import kr.codeb.fleet.Role;
import kr.codeb.fleet.Server;
import kr.codeb.fleet.SshEndpoint;
import kr.codeb.fleet.Topology;
import kr.codeb.model.IpAddress;

/**
 * Reads the YAML config file strictly: an unknown key, a bad address, an unknown role or a URI
 * carrying a password fails with an {@link InvalidRequestException} naming the file and the
 * key ({@code servers[0].roles[1]}).
 */
final class ConfigLoader {
  private static final Set<String> TOP_KEYS = Set.of("ssot", "providers", "ssh", "servers",
      "envDir", "hooks", "hooksDir", "projects");
  private static final Set<String> SERVER_KEYS = Set.of("name", "roles", "public", "private",
      "publish", "firewallGroup", "engines", "ssh", "projects");
  private static final Set<String> ENGINE_KEYS = Set.of("runtime", "proxy", "dns", "dnsListen",
      "dnsCache", "dnsCacheListen");
  /** Engine keys that are a {@code host:port} a server listens on rather than a provider URI. */
  private static final Set<String> LISTEN_KEYS = Set.of("dnsListen", "dnsCacheListen");

  private static final Pattern ENV_DIR = Pattern.compile("/[A-Za-z0-9_./-]*");

  private static final Pattern SCHEME_ONLY = Pattern.compile("[a-zA-Z][a-zA-Z0-9+.-]*://");

  /** The largest config file read (a fleet's file is a few KB). */
  static final long MAX_BYTES = 1L << 20;

  private final Path file;

  private ConfigLoader(Path file) {
    this.file = file;
  }

  static CliConfig load(Path file) {
    return new ConfigLoader(file).parse(read(file));
  }

  private static JsonNode read(Path file) {
    byte[] bytes;
    try {
      bytes = InputFiles.read(file, "config file", MAX_BYTES);
    } catch (NotFoundException | UnavailableException e) {
      throw new InvalidRequestException(e.getMessage());
    }
    YAMLMapper yaml = new YAMLMapper();
    yaml.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    String name = InputFiles.shown(file);
    try {
      checkShape(yaml, bytes, name);
      return yaml.readTree(bytes);
    } catch (JsonProcessingException e) {
      // The parser's message quotes the text it stopped at: name the place only.
      throw new InvalidRequestException("config file " + name + " is not valid YAML"
          + where(e.getLocation()) + "; check the indentation, colons and quotes there");
    } catch (IOException e) {
      throw new InvalidRequestException("config file " + name + " cannot be read: "
          + InputFiles.reason(e));
    }
  }

  /**
   * One YAML document without tags: a second document ({@code ---}) would be ignored by the
   * tree reader, and a tag ({@code !!java.lang.Runtime}, {@code !custom}) asks for a type that
   * this file never has.
   */
  private static void checkShape(YAMLMapper yaml, byte[] bytes, String name) throws IOException {
    try (JsonParser p = yaml.createParser(bytes)) {
      int depth = 0;
      boolean started = false;
      for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
        if (started && depth == 0) {
          throw new InvalidRequestException("config file " + name + " holds more than one YAML"
              + " document" + where(p.currentTokenLocation()) + "; put everything in one"
              + " document (remove the '---' separator and what follows)");
        }
        started = true;
        if (p instanceof YAMLParser y && y.getTypeId() != null) {
          throw new InvalidRequestException("config file " + name + " uses a YAML tag"
              + where(p.currentTokenLocation()) + "; tags ('!!type', '!name') are not allowed:"
              + " write plain values, lists and mappings");
        }
        if (t.isStructStart()) {
          depth++;
        } else if (t.isStructEnd()) {
          depth--;
        }
      }
    }
  }

  private static String where(JsonLocation at) {
    return at == null || at.getLineNr() < 1 ? ""
        : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
  }

  private CliConfig parse(JsonNode root) {
    if (root == null || root.isMissingNode() || root.isNull()) {
      return new CliConfig(Optional.of(file), Optional.empty(), Map.of(), Topology.empty());
    }
    mapping(root, "(top level)", TOP_KEYS);
    if (root.has("hooks")) {
      throw problem("hooks", HookConfig.movedMessage());
    }
    Optional<String> ssot = optionalText(root, "ssot", "ssot");
    Map<String, String> providers = new LinkedHashMap<>();
    JsonNode p = root.get("providers");
    if (p != null && !p.isNull()) {
      mapping(p, "providers", CliConfig.CAPABILITIES);
      p.fieldNames().forEachRemaining(cap ->
          providers.put(cap, providerUri(p.get(cap), "providers." + cap)));
    }
    SshDefaults sshDefaults = SshDefaults.parse(this, root.get("ssh"));
    List<Server> servers = new ArrayList<>();
    JsonNode s = root.get("servers");
    if (s != null && !s.isNull()) {
      if (!s.isArray()) {
        throw problem("servers", "must be a list of servers");
      }
      for (int i = 0; i < s.size(); i++) {
        servers.add(server(s.get(i), "servers[" + i + "]", sshDefaults));
      }
    }
    Topology topology = at("servers", () -> new Topology(servers));
    ProjectProcesses processes = ProjectProcesses.parse(this, root.get("projects"));
    return new CliConfig(Optional.of(file), ssot, providers, topology, envDir(root),
        HookConfig.parse(this, root.get("projects")),
        optionalText(root, "hooksDir", "hooksDir").map(this::path), processes);
  }

  /**
   * {@code envDir:}, an absolute folder (it names a folder on the app servers too): letters,
   * digits, {@code _ . / -}, no {@code ..}.
   */
  private Optional<String> envDir(JsonNode root) {
    Optional<String> dir = optionalText(root, "envDir", "envDir");
    dir.ifPresent(d -> {
      if (!ENV_DIR.matcher(d).matches() || d.contains("..")) {
        throw problem("envDir", "must be an absolute folder of letters, digits, '_', '.', '/'"
            + " and '-', such as /opt/codeb/env");
      }
    });
    return dir;
  }

  private Server server(JsonNode node, String path, SshDefaults sshDefaults) {
    mapping(node, path, SERVER_KEYS);
    String name = text(node.get("name"), path + ".name");
    Set<Role> roles = roles(node.get("roles"), path + ".roles");
    IpAddress pub = address(node.get("public"), path + ".public");
    IpAddress priv = address(node.get("private"), path + ".private");
    JsonNode publishNode = node.get("publish");
    IpAddress publish = publishNode == null || publishNode.isNull()
        ? Server.LOOPBACK : address(publishNode, path + ".publish");
    Optional<String> group = optionalText(node, "firewallGroup", path + ".firewallGroup");
    Map<String, URI> engines = new LinkedHashMap<>();
    JsonNode e = node.get("engines");
    if (e != null && !e.isNull()) {
      mapping(e, path + ".engines", ENGINE_KEYS);
      e.fieldNames().forEachRemaining(cap -> engines.put(cap, LISTEN_KEYS.contains(cap)
          ? listenAddress(e.get(cap), path + ".engines." + cap)
          : engineUri(e.get(cap), path + ".engines." + cap)));
    }
    Optional<SshEndpoint> ssh = sshDefaults.endpoint(this, node.get("ssh"), path + ".ssh", name);
    List<String> projects = new ArrayList<>();
    JsonNode p = node.get("projects");
    if (p != null && !p.isNull()) {
      if (!p.isArray()) {
        throw problem(path + ".projects", "must be a list of project names such as [shop, blog]");
      }
      for (int i = 0; i < p.size(); i++) {
        projects.add(text(p.get(i), path + ".projects[" + i + "]"));
      }
    }
    return at(path, () -> new Server(name, roles, pub, priv, publish, group, engines, ssh,
        projects));
  }

  /** {@code IP:PORT} ({@code [v6]:PORT}) as a {@code dns://} URI holding just the address. */
  private URI listenAddress(JsonNode node, String path) {
    String text = text(node, path);
    String example = "write IP:PORT such as 127.0.0.1:53";
    int colon = text.lastIndexOf(':');
    if (colon <= 0) {
      throw problem(path, example);
    }
    String host = text.substring(0, colon).replaceAll("^\\[|\\]$", "");
    at(path, () -> IpAddress.of(host));
    try {
      kr.codeb.Checks.port("port", Integer.parseInt(text.substring(colon + 1)));
    } catch (NumberFormatException e) {
      throw problem(path, example);
    }
    return at(path, () -> URI.create("dns://" + text));
  }

  private Set<Role> roles(JsonNode node, String path) {
    if (node == null || node.isNull()) {
      throw problem(path, "is missing: give at least one of app, storage, edge");
    }
    if (!node.isArray()) {
      throw problem(path, "must be a list of roles such as [app] or [edge, storage]; allowed"
          + " roles: app, storage, edge");
    }
    List<JsonNode> items = new ArrayList<>();
    node.forEach(items::add);
    if (items.isEmpty()) {
      throw problem(path, "is empty: give at least one of app, storage, edge");
    }
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (int i = 0; i < items.size(); i++) {
      String itemPath = path + "[" + i + "]";
      String id = text(items.get(i), itemPath);
      roles.add(at(itemPath, () -> Role.parse(id)));
    }
    return roles;
  }

  private IpAddress address(JsonNode node, String path) {
    String text = text(node, path);
    return at(path, () -> IpAddress.of(text));
  }

  /**
   * A provider URI as text. {@code docker://} and {@code vultr://} (scheme only, meaning "the
   * default place") are allowed although {@link URI} cannot hold them.
   */
  private String providerUri(JsonNode node, String path) {
    String text = text(node, path);
    if (SCHEME_ONLY.matcher(text).matches()) {
      return text;
    }
    return uri(node, path).toString();
  }

  /** An engine URI; {@code docker://} (scheme only: the server's own engine) as {@code docker:///}. */
  private URI engineUri(JsonNode node, String path) {
    String text = text(node, path);
    return SCHEME_ONLY.matcher(text).matches() ? URI.create(text + "/") : uri(node, path);
  }

  private URI uri(JsonNode node, String path) {
    String text = text(node, path);
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw problem(path, "is not a URI: " + e.getReason() + " at index " + e.getIndex());
    }
    if (uri.getScheme() == null) {
      throw problem(path, "has no scheme (e.g. docker://, caddy+http://127.0.0.1:2019)");
    }
    if (uri.getRawUserInfo() != null && uri.getRawUserInfo().contains(":")) {
      throw problem(path, "must not carry a password: pass secrets as credentials or"
          + " environment variables (CODEB_<PROVIDER>_<PARAM>)");
    }
    return uri;
  }

  /** Package access for {@link SshDefaults}. */
  void requireMapping(JsonNode node, String path, Set<String> allowed) {
    mapping(node, path, allowed);
  }

  String requireText(JsonNode node, String path) {
    return text(node, path);
  }

  <T> T within(String path, Supplier<T> build) {
    return at(path, build);
  }

  InvalidRequestException problemAt(String path, String message) {
    return problem(path, message);
  }

  /** A path from the file: {@code ~/} is the home folder, a relative path the file's folder. */
  Path path(String text) {
    if (text.startsWith("~/")) {
      return Path.of(System.getProperty("user.home")).resolve(text.substring(2));
    }
    Path p = Path.of(text);
    Path folder = file.toAbsolutePath().getParent();
    return p.isAbsolute() || folder == null ? p : folder.resolve(p).normalize();
  }

  /** A mapping whose keys are all in {@code allowed}; any keys when it is null. */
  private void mapping(JsonNode node, String path, Set<String> allowed) {
    if (!node.isObject()) {
      throw problem(path, allowed == null ? "must be a mapping"
          : "must be a mapping with keys " + sorted(allowed));
    }
    if (allowed == null) {
      return;
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!allowed.contains(key)) {
        String where = path.equals("(top level)") ? key : path + "." + key;
        throw problem(where, "unknown key; allowed here: " + sorted(allowed));
      }
    }
  }

  private Optional<String> optionalText(JsonNode parent, String key, String path) {
    JsonNode node = parent.get(key);
    return node == null || node.isNull() ? Optional.empty() : Optional.of(text(node, path));
  }

  private String text(JsonNode node, String path) {
    if (node == null || node.isNull()) {
      throw problem(path, "is missing");
    }
    if (!node.isValueNode() || node.asText().isBlank()) {
      throw problem(path, "must be a non-empty text value");
    }
    return node.asText();
  }

  private <T> T at(String path, Supplier<T> build) {
    try {
      return build.get();
    } catch (InvalidRequestException e) {
      throw problem(path, e.getMessage());
    }
  }

  private InvalidRequestException problem(String path, String message) {
    return new InvalidRequestException("config file " + InputFiles.shown(file) + ": " + path
        + ": " + message);
  }

  private static String sorted(Set<String> keys) {
    return String.join(", ", keys.stream().sorted().toList());
  }
}
