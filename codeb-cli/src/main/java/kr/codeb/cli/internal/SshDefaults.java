package kr.codeb.cli.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import kr.codeb.fleet.SshEndpoint;

/**
 * The {@code ssh:} of a config file: defaults at the top level ({@code user}, {@code port},
 * {@code key}, {@code passphraseEnv}, {@code knownHosts}) and each server's own, written as
 * {@code user@host[:port]} or as a mapping with the same keys plus {@code host}.
 */
record SshDefaults(
    Optional<String> user,
    Optional<Integer> port,
    Optional<Path> key,
    Optional<String> passphraseEnv,
    Optional<Path> knownHosts) {

  private static final Set<String> TOP_KEYS =
      Set.of("user", "port", "key", "passphraseEnv", "knownHosts");
  private static final Set<String> SERVER_KEYS =
      Set.of("user", "host", "port", "key", "passphraseEnv", "knownHosts");

  static final SshDefaults NONE = new SshDefaults(Optional.empty(), Optional.empty(),
      Optional.empty(), Optional.empty(), Optional.empty());

  static SshDefaults parse(ConfigLoader file, JsonNode node) {
    if (node == null || node.isNull()) {
      return NONE;
    }
    file.requireMapping(node, "ssh", TOP_KEYS);
    Optional<String> passphraseEnv = text(file, node, "passphraseEnv", "ssh");
    // checked now, not only when a server uses it
    file.within("ssh.passphraseEnv", () -> new SshEndpoint("check", "check", "check",
        SshEndpoint.DEFAULT_PORT, Optional.empty(), passphraseEnv, Optional.empty()));
    return new SshDefaults(text(file, node, "user", "ssh"), port(file, node, "ssh"),
        text(file, node, "key", "ssh").map(file::path), passphraseEnv,
        text(file, node, "knownHosts", "ssh").map(file::path));
  }

  /** A server's endpoint: its own settings over these defaults; empty without {@code ssh:}. */
  Optional<SshEndpoint> endpoint(ConfigLoader file, JsonNode node, String path, String server) {
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    SshEndpoint base;
    SshDefaults own;
    if (node.isValueNode()) {
      String text = file.requireText(node, path);
      base = file.within(path, () -> text.contains("@") ? SshEndpoint.parse(text)
          : SshEndpoint.parse(user.orElseThrow(() -> file.problemAt(path, "names no user: write"
              + " user@host, or set ssh.user at the top level")) + "@" + text));
      own = NONE;
    } else {
      file.requireMapping(node, path, SERVER_KEYS);
      String host = file.requireText(node.get("host"), path + ".host");
      own = new SshDefaults(text(file, node, "user", path), port(file, node, path),
          text(file, node, "key", path).map(file::path), text(file, node, "passphraseEnv", path),
          text(file, node, "knownHosts", path).map(file::path));
      String login = own.user.or(() -> user).orElseThrow(() -> file.problemAt(path + ".user",
          "is missing: give the login user here or as ssh.user at the top level"));
      base = file.within(path, () -> SshEndpoint.of(login, host, SshEndpoint.DEFAULT_PORT));
    }
    boolean portWritten = node.isValueNode() && node.asText().matches(".*:\\d+$");
    int finalPort = portWritten ? base.port()
        : own.port.or(() -> port).orElse(SshEndpoint.DEFAULT_PORT);
    Optional<Path> keyFile = own.key.or(() -> key);
    Optional<String> passphrase = own.passphraseEnv.or(() -> passphraseEnv);
    Optional<Path> known = own.knownHosts.or(() -> knownHosts);
    return Optional.of(file.within(path, () -> new SshEndpoint(server, base.user(), base.host(),
        finalPort, keyFile, passphrase, known)));
  }

  private static Optional<String> text(ConfigLoader file, JsonNode parent, String key,
      String path) {
    JsonNode n = parent.get(key);
    return n == null || n.isNull() ? Optional.empty()
        : Optional.of(file.requireText(n, path + "." + key));
  }

  private static Optional<Integer> port(ConfigLoader file, JsonNode parent, String path) {
    JsonNode n = parent.get("port");
    if (n == null || n.isNull()) {
      return Optional.empty();
    }
    if (!n.canConvertToInt() || n.asInt() < 1 || n.asInt() > 65535) {
      throw file.problemAt(path + ".port", "must be a port number 1-65535");
    }
    return Optional.of(n.asInt());
  }
}
