package kr.codeb.cli.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code we --version}: the CLI's version and the commit it was built from (both from the
 * build's {@code version.properties}; the version falls back to the jar manifest), and the
 * Java runtime running it.
 */
final class VersionProvider implements IVersionProvider {
  static final String UNKNOWN = "unknown";

  @Override
  public String[] getVersion() {
    Properties build = buildProperties();
    return new String[] {
        "we " + version(build) + " (commit " + commit(build) + ")",
        "Java " + System.getProperty("java.runtime.version", UNKNOWN) + " ("
            + System.getProperty("java.vendor", UNKNOWN) + ") at "
            + System.getProperty("java.home", UNKNOWN)};
  }

  /** The CLI's version, for the daemon's status and the like. */
  static String version() {
    return version(buildProperties());
  }

  static String version(Properties build) {
    String filtered = filtered(build.getProperty("version"));
    if (filtered != null) {
      return filtered;
    }
    String fromManifest = Cli.class.getPackage().getImplementationVersion();
    return fromManifest != null ? fromManifest : UNKNOWN;
  }

  /** The abbreviated commit id, or "unknown" for a build made without git. */
  static String commit(Properties build) {
    String filtered = filtered(build.getProperty("commit"));
    return filtered != null ? filtered : UNKNOWN;
  }

  /** A value the build filled in; null when missing or left as a {@code ${...}} placeholder. */
  private static String filtered(String value) {
    return value == null || value.isBlank() || value.contains("${") ? null : value.strip();
  }

  private static Properties buildProperties() {
    Properties p = new Properties();
    try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      // the version is informational: "unknown"
    }
    return p;
  }
}
