package kr.codeb.cli.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code we <version>}: from the jar manifest, else from the build's version.properties. */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {"we " + version()};
  }

  static String version() {
    String fromManifest = Cli.class.getPackage().getImplementationVersion();
    if (fromManifest != null) {
      return fromManifest;
    }
    try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        return p.getProperty("version", "unknown");
      }
    } catch (IOException e) {
      // fall through: the version is informational
    }
    return "unknown";
  }
}
