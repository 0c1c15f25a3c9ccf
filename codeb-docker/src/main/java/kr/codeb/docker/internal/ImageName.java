package kr.codeb.docker.internal;

/**
 * An image reference split the way Docker does: registry (the first path component when it has
 * a '.' or ':' or is {@code localhost}; else Docker Hub), repository, and tag or digest.
 *
 * @param pullTag the tag, or the digest, to pass to a pull ({@code latest} when none is given)
 */
public record ImageName(String registry, String repository, String pullTag) {
  public static final String HUB = "docker.io";

  public static ImageName parse(String ref) {
    String name = ref;
    String tag = null;
    int at = name.indexOf('@');
    if (at >= 0) {
      tag = name.substring(at + 1);
      name = name.substring(0, at);
    }
    int slash = name.lastIndexOf('/');
    int colon = name.lastIndexOf(':');
    if (colon > slash) {
      if (tag == null) {
        tag = name.substring(colon + 1);
      }
      name = name.substring(0, colon);
    }
    int first = name.indexOf('/');
    String registry = HUB;
    if (first > 0) {
      String head = name.substring(0, first);
      if (head.contains(".") || head.contains(":") || head.equals("localhost")) {
        registry = head;
      }
    }
    return new ImageName(registry, name, tag == null ? "latest" : tag);
  }
}
