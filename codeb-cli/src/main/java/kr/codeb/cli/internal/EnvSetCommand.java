package kr.codeb.cli.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import kr.codeb.InvalidRequestException;
import kr.codeb.deploy.DeployKey;
import kr.codeb.env.EnvFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code we env set PROJECT --env ENV KEY=VALUE... | KEY | --from-file FILE}: every value is
 * checked before anything is written; bad input (exit 2) writes nothing.
 */
@Command(
    name = "set", header = "Set keys in the project's env file.",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {"Set values in the project's env file on every app server that runs it.",
        "KEY=VALUE sets a value given here (visible in `ps` and shell history); KEY alone",
        "reads its value from standard input (asked for without echo on a terminal), and",
        "--from-file reads KEY=VALUE lines from a file: both keep values off the command line.",
        "Prints the keys added and changed, or `unchanged`; never a value."})
final class EnvSetCommand implements Callable<Integer> {
  private final Session session;

  @Mixin ProjectEnvOptions target;

  @Parameters(index = "1..*", arity = "0..*", paramLabel = "KEY[=VALUE]",
      description = "A value to set; KEY alone reads it from standard input (one KEY at most).")
  List<String> assignments = new ArrayList<>();

  @Option(names = "--from-file", paramLabel = "FILE",
      description = {"KEY=VALUE lines to set (CodeB's env file format, or that of"
          + " `we deploy --env-file`); a regular file readable by its owner only."})
  Path fromFile;

  @Option(names = "--allow-insecure-env-file",
      description = "Use a --from-file that its group or other users may read.")
  boolean allowInsecure;

  EnvSetCommand(Session session) {
    this.session = session;
  }

  @Override
  public Integer call() {
    DeployKey key = target.key();
    Map<String, String> values = values();
    EnvCommand.requireKnown(session, key);
    ProjectEnvFiles files = new ProjectEnvFiles(session);
    EnvFile.Diff diff = files.update(key.project(), key.environment(), f -> f.with(values));
    return EnvCommand.printChange(session, key, files, diff);
  }

  /** The values to set, all checked: the file's, then the arguments' (later ones win). */
  private Map<String, String> values() {
    if (assignments.isEmpty() && fromFile == null) {
      throw new InvalidRequestException("nothing to set: give KEY=VALUE, KEY (its value on"
          + " standard input) or --from-file FILE");
    }
    Map<String, String> values = new LinkedHashMap<>();
    if (fromFile != null) {
      values.putAll(EnvInput.fromFile(session.path(fromFile), allowInsecure).values());
    }
    String fromStdin = null;
    for (String a : assignments) {
      int eq = a.indexOf('=');
      if (eq < 0) {
        EnvFile.checkKey(a);
        if (fromStdin != null) {
          throw new InvalidRequestException("only one KEY can read its value from standard"
              + " input, and both " + fromStdin + " and " + a + " ask for it: give the others"
              + " as KEY=VALUE or in --from-file");
        }
        fromStdin = a;
      } else {
        String k = EnvFile.checkKey(a.substring(0, eq));
        values.put(k, EnvFile.checkValue(k, a.substring(eq + 1)));
      }
    }
    if (fromStdin != null) {
      values.put(fromStdin, EnvInput.secret(fromStdin, System.in));
    }
    return values;
  }
}
