package kr.codeb.cli.internal;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code we ssot}: the port registry. Its verbs are separate classes, added in {@link Cli}. */
@Command(
    name = "ssot", header = "The SSOT port registry: show, check, edit, migrate.",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "The SSOT port registry: show, check, allocate, release, repair, migrate.")
final class SsotCommand implements Callable<Integer> {
  private final Session session;

  SsotCommand(Session session) {
    this.session = session;
  }

  @Override
  public Integer call() {
    return session.missingSubcommand("we ssot");
  }
}
