package kr.codeb.mcp.internal;

/** This build's version, as the jar's manifest gives it. */
final class Version {
  private Version() {}

  static String current() {
    String v = Version.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
