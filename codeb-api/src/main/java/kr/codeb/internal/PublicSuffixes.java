package kr.codeb.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The Public Suffix List: which names are public suffixes ({@code kr}, {@code co.kr},
 * {@code co.uk}) under which anyone can register a domain, so that the registrable domain of
 * {@code shop.vsvs.co.kr} is {@code vsvs.co.kr}, never {@code co.kr}.
 *
 * <p>The full list is read from {@value #SYSTEM_LIST} when present (Debian's
 * {@code publicsuffix} package). Otherwise a small curated list shipped in this jar is used:
 * it is <b>partial</b> (the generic TLDs people use most, Korea's second-level domains, and a
 * few other countries' common ones), so a suffix it does not know is treated by the default
 * rule {@code *} (only the top-level label is public). Rules in Unicode are converted to
 * punycode; wildcard ({@code *.}) and exception ({@code !}) rules are supported.
 */
public final class PublicSuffixes {
  public static final String SYSTEM_LIST = "/usr/share/publicsuffix/public_suffix_list.dat";
  private static final String BUNDLED = "/kr/codeb/internal/public-suffixes.dat";

  private static volatile PublicSuffixes defaults;

  private final Set<String> rules = new HashSet<>();
  private final Set<String> wildcards = new HashSet<>();
  private final Set<String> exceptions = new HashSet<>();
  private final String source;

  private PublicSuffixes(String source) {
    this.source = source;
  }

  /** The system's full list when installed, else the bundled partial one (loaded once). */
  public static PublicSuffixes defaults() {
    PublicSuffixes d = defaults;
    if (d == null) {
      Path system = Path.of(SYSTEM_LIST);
      d = Files.isReadable(system) ? load(system) : bundled();
      defaults = d;
    }
    return d;
  }

  /** The bundled, partial list. */
  public static PublicSuffixes bundled() {
    try (InputStream in = PublicSuffixes.class.getResourceAsStream(BUNDLED)) {
      return parse(in, "bundled partial list");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static PublicSuffixes load(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return parse(in, file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static PublicSuffixes parse(InputStream in, String source) throws IOException {
    PublicSuffixes list = new PublicSuffixes(source);
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
      String rule = line.strip();
      if (rule.isEmpty() || rule.startsWith("//")) {
        continue;
      }
      rule = rule.split("\\s+")[0];
      boolean exception = rule.startsWith("!");
      boolean wildcard = rule.startsWith("*.");
      String name = exception ? rule.substring(1) : wildcard ? rule.substring(2) : rule;
      try {
        name = IDN.toASCII(name, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
      } catch (IllegalArgumentException e) {
        continue; // a rule Java's IDNA 2003 cannot convert: it cannot match an ASCII name either
      }
      (exception ? list.exceptions : wildcard ? list.wildcards : list.rules).add(name);
    }
    return list;
  }

  /** Where the rules came from (a file path, or the bundled partial list). */
  public String source() {
    return source;
  }

  /** The public suffix of a lower-case ASCII host name without the trailing dot. */
  public String publicSuffix(String host) {
    String[] labels = host.split("\\.");
    // Walk from the longest candidate to the shortest; the first match is the longest rule.
    for (int i = 0; i < labels.length; i++) {
      String candidate = join(labels, i);
      if (exceptions.contains(candidate)) {
        return join(labels, i + 1); // an exception rule: its parent is the suffix
      }
      if (rules.contains(candidate)) {
        return candidate;
      }
      if (i + 1 < labels.length && wildcards.contains(join(labels, i + 1))) {
        return candidate;
      }
    }
    return labels[labels.length - 1]; // the default rule "*"
  }

  /** The registrable domain (public suffix plus one label); empty for a public suffix itself. */
  public Optional<String> registrable(String host) {
    String suffix = publicSuffix(host);
    if (host.equals(suffix)) {
      return Optional.empty();
    }
    String rest = host.substring(0, host.length() - suffix.length() - 1);
    int dot = rest.lastIndexOf('.');
    return Optional.of((dot < 0 ? rest : rest.substring(dot + 1)) + "." + suffix);
  }

  private static String join(String[] labels, int from) {
    return String.join(".", java.util.Arrays.copyOfRange(labels, from, labels.length));
  }
}
