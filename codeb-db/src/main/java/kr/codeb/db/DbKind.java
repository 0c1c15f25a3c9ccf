package kr.codeb.db;

import java.util.Locale;
import kr.codeb.Checks;
import kr.codeb.InvalidRequestException;

/** The kinds of database {@code we db} runs on the storage server. */
public enum DbKind {
  /** PostgreSQL: one database and one user who owns it; {@code DATABASE_URL}. */
  POSTGRES("postgres", "16", "DATABASE_URL"),
  /** Redis with {@code requirepass} and persistence (append-only file); {@code REDIS_URL}. */
  REDIS("redis", "7", "REDIS_URL");

  private final String image;
  private final String defaultVersion;
  private final String envKey;

  DbKind(String image, String defaultVersion, String envKey) {
    this.image = image;
    this.defaultVersion = defaultVersion;
    this.envKey = envKey;
  }

  /** The name used in commands, labels and container names: {@code postgres}, {@code redis}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The official image's name ({@code postgres}, {@code redis}); the tag is the version. */
  public String officialImage() {
    return image;
  }

  public String defaultVersion() {
    return defaultVersion;
  }

  /** The env file key that holds the connection URL. */
  public String envKey() {
    return envKey;
  }

  /** The kind named {@code id}, or bad input listing the kinds. */
  public static DbKind parse(String id) {
    for (DbKind k : values()) {
      if (k.id().equals(id)) {
        return k;
      }
    }
    throw new InvalidRequestException("unknown database kind " + Checks.quote(id)
        + ": allowed are postgres, redis");
  }

  @Override
  public String toString() {
    return id();
  }
}
