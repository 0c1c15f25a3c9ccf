package kr.codeb.cli;

/**
 * One "CI runner": runs {@code we ssot allocate NAME --env production --json} for
 * {@code count} projects named {@code PREFIX-i}, through the CLI's own entry point, and exits
 * with the first non-zero code.
 */
public final class AllocatingProcess {
  private AllocatingProcess() {}

  public static void main(String[] args) {
    String ssot = args[0];
    String prefix = args[1];
    int count = Integer.parseInt(args[2]);
    for (int i = 0; i < count; i++) {
      int code = Main.run(new String[] {"--ssot", ssot, "ssot", "allocate", prefix + "-" + i,
          "--env", "production", "--json"}, System.out, System.err, System::getenv);
      if (code != 0) {
        System.exit(code);
      }
    }
    System.exit(0);
  }
}
