package kr.codeb.cli.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import kr.codeb.InvalidRequestException;
import kr.codeb.Secret;
import kr.codeb.ssotserver.ServerTokens;
import kr.codeb.ssotserver.TokenInfo;
import kr.codeb.ssotserver.TokenScope;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code we ssot token create|list|revoke}: the bearer tokens of {@code we ssot serve}. */
@Command(
    name = "token", header = "Manage the bearer tokens of `we ssot serve`.",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {"Tokens are stored as SHA-256 hashes only (file mode 0600); a token's value",
        "is shown once, when it is created."})
final class SsotTokenCommand implements Callable<Integer> {
  static final String TOKENS_VARIABLE = "CODEB_SSOT_TOKENS";
  static final String DEFAULT_TOKENS = "/etc/codeb/ssot-tokens.json";

  private final Session session;

  SsotTokenCommand(Session session) {
    this.session = session;
  }

  @Override
  public Integer call() {
    return session.missingSubcommand("we ssot token");
  }

  static Path tokensPath(Session session, Path given) {
    if (given != null) {
      return session.path(given);
    }
    String variable = session.variable(TOKENS_VARIABLE);
    return session.path(Path.of(variable != null ? variable : DEFAULT_TOKENS));
  }

  abstract static class TokenVerb implements Callable<Integer> {
    final Session session;

    @Option(names = "--tokens", paramLabel = "FILE",
        description = "The token file (env " + TOKENS_VARIABLE + "; default " + DEFAULT_TOKENS
            + ").")
    Path tokens;

    TokenVerb(Session session) {
      this.session = session;
    }

    ServerTokens tokens() {
      return ServerTokens.at(tokensPath(session, tokens));
    }
  }

  /** {@code we ssot token create NAME --scope read|allocate|repair...}. */
  @Command(name = "create", header = "Create a token and print its value once.",
      mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
      description = "Prints the token's value on stdout; it is stored nowhere else.")
  static final class Create extends TokenVerb {
    @Parameters(index = "0", paramLabel = "NAME", description = "Whose it is, e.g. ci-app1.")
    String name;

    @Option(names = "--scope", paramLabel = "SCOPE", required = true,
        description = "read, allocate or repair (each includes read); repeatable.")
    List<String> scopes;

    Create(Session session) {
      super(session);
    }

    @Override
    public Integer call() {
      Set<TokenScope> set = EnumSet.noneOf(TokenScope.class);
      scopes.forEach(s -> set.add(TokenScope.of(s)));
      Secret value = tokens().create(name, set);
      if (session.json()) {
        ObjectNode root = session.jsonOutput().object();
        root.put("name", name);
        ArrayNode s = root.putArray("scopes");
        set.forEach(x -> s.add(x.id()));
        root.put("token", value.reveal());
        session.printJson(root);
      } else {
        session.out().println(value.reveal());
        session.progress("token " + name + " created; this is the only time its value is shown"
            + " (give it to the client as CODEB_SSOT_TOKEN)");
      }
      return 0;
    }
  }

  /** {@code we ssot token list}. */
  @Command(name = "list", header = "List the tokens: names, scopes, creation times.",
      mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
      description = "Never their values: the file holds only hashes.")
  static final class ListTokens extends TokenVerb {
    ListTokens(Session session) {
      super(session);
    }

    @Override
    public Integer call() {
      List<TokenInfo> all = tokens().list();
      if (session.json()) {
        ObjectNode root = session.jsonOutput().object();
        ArrayNode array = root.putArray("tokens");
        for (TokenInfo t : all) {
          ObjectNode n = array.addObject().put("name", t.name());
          ArrayNode s = n.putArray("scopes");
          t.scopes().stream().sorted().forEach(x -> s.add(x.id()));
          n.put("created", t.created().toString());
        }
        session.printJson(root);
        return 0;
      }
      Table table = new Table("NAME", "SCOPES", "CREATED");
      for (TokenInfo t : all) {
        table.row(t.name(), String.join(",", t.scopes().stream().sorted().map(TokenScope::id)
            .toList()), t.created());
      }
      if (table.isEmpty()) {
        session.out().println("(no tokens)");
      } else {
        table.print(session.out(), "");
      }
      return 0;
    }
  }

  /** {@code we ssot token revoke NAME}. */
  @Command(name = "revoke", header = "Revoke a token; a running server refuses it at once.",
      mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
      description = "Removes the token from the file.")
  static final class Revoke extends TokenVerb {
    @Parameters(index = "0", paramLabel = "NAME", description = "The token's name.")
    String name;

    Revoke(Session session) {
      super(session);
    }

    @Override
    public Integer call() {
      if (name.isBlank()) {
        throw new InvalidRequestException("give the token's name");
      }
      tokens().revoke(name);
      session.out().println("revoked " + name);
      return 0;
    }
  }
}
