package kr.codeb.cli.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import kr.codeb.Checks;
import kr.codeb.InvalidRequestException;
import kr.codeb.ports.SsotDocumentStore;
import kr.codeb.ports.SsotStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code we ssot migrate --from URI|PATH --to URI|PATH [--replace]}: copies the whole SSOT
 * document from one store to another (a file, a postgresql:// database), byte for byte, so a
 * round trip gives back the same file.
 */
@Command(
    name = "migrate", header = "Copy the SSOT from one store to another, byte for byte.",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {"Copy the whole SSOT document from one store to another: a file and a",
        "postgresql:// database, either way. The document is checked first and copied as it",
        "is (unknown fields, key order, bytes), so a round trip gives back the same file.",
        "A target holding another registry is left alone unless --replace is given (a file",
        "keeps the replaced content as .bak). The copy is recorded in the target's audit log.",
        "Password for postgresql://: CODEB_POSTGRESQL_PASSWORD or PGPASSWORD."})
final class SsotMigrateCommand implements Callable<Integer> {
  private final Session session;

  @Option(names = "--from", required = true, paramLabel = "URI|PATH",
      description = "The store to copy from (a plain path means a file).")
  String from;

  @Option(names = "--to", required = true, paramLabel = "URI|PATH",
      description = "The store to copy to (a plain path means a file; it may not exist yet).")
  String to;

  @Option(names = "--replace",
      description = "Overwrite a target that holds another registry.")
  boolean replace;

  SsotMigrateCommand(Session session) {
    this.session = session;
  }

  @Override
  public Integer call() {
    String source = location(from);
    String target = location(to);
    boolean written;
    String revision;
    String sourceShown;
    String targetShown;
    try (SsotStore in = session.registry().ssotStore(source);
        SsotStore out = session.registry().ssotStore(target)) {
      SsotDocumentStore reader = documentStore(in, "--from");
      SsotDocumentStore writer = documentStore(out, "--to");
      sourceShown = in.info().location();
      targetShown = out.info().location();
      if (sourceShown.equals(targetShown) && in.info().id().equals(out.info().id())) {
        throw new InvalidRequestException("--from and --to name the same store ("
            + sourceShown + ")");
      }
      byte[] document = reader.exportDocument();
      written = writer.importDocument(document, replace);
      revision = out.read().revision().value();
    }
    if (session.json()) {
      ObjectNode root = session.jsonOutput().object();
      root.put("from", sourceShown);
      root.put("to", targetShown);
      root.put("revision", revision);
      root.put("written", written);
      session.printJson(root);
    } else {
      session.out().println((written ? "copied " : "already there, nothing written: ")
          + sourceShown + " -> " + targetShown + " (revision " + revision + ")");
    }
    return 0;
  }

  private static SsotDocumentStore documentStore(SsotStore store, String option) {
    if (store instanceof SsotDocumentStore documents) {
      return documents;
    }
    throw new InvalidRequestException(option + " names a " + store.info().id() + " store ("
        + store.info().location() + "), which cannot hand over its document; migrate between"
        + " files and postgresql:// databases");
  }

  /** A URI as given; a plain path resolved against the folder the line was typed in. */
  private String location(String given) {
    if (given.isBlank() || Checks.hasUriScheme(given)) {
      return given;
    }
    try {
      return session.path(Path.of(given)).toString();
    } catch (InvalidPathException e) {
      throw new InvalidRequestException("SSOT path " + Checks.quote(given) + " is not a usable"
          + " path (" + e.getReason() + ")");
    }
  }
}
