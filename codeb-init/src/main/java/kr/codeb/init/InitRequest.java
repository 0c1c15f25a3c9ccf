package kr.codeb.init;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import kr.codeb.Checks;
import kr.codeb.InvalidRequestException;
import kr.codeb.db.DbKind;
import kr.codeb.deploy.DeployKey;
import kr.codeb.model.DnsName;
import kr.codeb.model.Environment;
import kr.codeb.model.ProjectName;
import kr.codeb.runtime.ImageRef;

/**
 * What {@code we init} sets up: a project in an environment, reached at {@code domain}.
 *
 * @param domain the host name the site serves, lower case, without the trailing dot
 * @param with the databases to run on the storage server (may be empty)
 * @param image an image to deploy once everything else is in place
 * @param repo the repository checkout the workflow file goes into (no workflow step without)
 * @param tlsDeadline how long the TLS step waits for a certificate
 */
public record InitRequest(ProjectName project, Environment environment, String domain,
    Set<DbKind> with, Optional<String> image, Optional<Path> repo, Duration tlsDeadline) {
  public static final Duration DEFAULT_TLS_DEADLINE = Duration.ofSeconds(60);

  public InitRequest {
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(environment, "environment");
    domain = checkDomain(domain);
    with = with.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(with));
    Objects.requireNonNull(image, "image");
    image.ifPresent(ImageRef::check);
    Objects.requireNonNull(repo, "repo");
    Objects.requireNonNull(tlsDeadline, "tlsDeadline");
    if (tlsDeadline.isNegative() || tlsDeadline.compareTo(Duration.ofHours(1)) > 0) {
      throw new InvalidRequestException("TLS deadline " + tlsDeadline + " must be between 0 s"
          + " and 1 h");
    }
  }

  public DeployKey key() {
    return new DeployKey(project, environment);
  }

  /** The databases in a fixed order (postgres, redis). */
  public java.util.List<DbKind> databases() {
    return with.isEmpty() ? java.util.List.of() : java.util.List.copyOf(EnumSet.copyOf(with));
  }

  /** The domain as a host name: letters, digits, '-' and dots, at least two labels. */
  static String checkDomain(String domain) {
    if (domain == null || domain.isBlank()) {
      throw new InvalidRequestException("a domain is required (e.g. --domain acme.example)");
    }
    String d = domain.strip().toLowerCase(Locale.ROOT);
    if (d.endsWith(".")) {
      d = d.substring(0, d.length() - 1);
    }
    if (!d.matches("([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?")
        || d.length() > 200) {
      throw new InvalidRequestException("invalid domain " + Checks.quote(domain) + ": a host"
          + " name of letters, digits and '-' in at least two dot-separated labels (e.g."
          + " acme.example); Unicode domains in their punycode form (xn--...)");
    }
    return DnsName.of(d).hostName();
  }

  public static Builder builder(ProjectName project, Environment environment, String domain) {
    return new Builder(project, environment, domain);
  }

  /** For jshell and the front ends: every optional part defaulted. */
  public static final class Builder {
    private final ProjectName project;
    private final Environment environment;
    private final String domain;
    private Set<DbKind> with = Set.of();
    private Optional<String> image = Optional.empty();
    private Optional<Path> repo = Optional.empty();
    private Duration tlsDeadline = DEFAULT_TLS_DEADLINE;

    private Builder(ProjectName project, Environment environment, String domain) {
      this.project = project;
      this.environment = environment;
      this.domain = domain;
    }

    public Builder with(Set<DbKind> kinds) {
      this.with = Set.copyOf(kinds);
      return this;
    }

    public Builder image(String image) {
      this.image = Optional.ofNullable(image);
      return this;
    }

    public Builder repo(Path repo) {
      this.repo = Optional.ofNullable(repo);
      return this;
    }

    public Builder tlsDeadline(Duration deadline) {
      this.tlsDeadline = deadline;
      return this;
    }

    public InitRequest build() {
      return new InitRequest(project, environment, domain, with, image, repo, tlsDeadline);
    }
  }
}
