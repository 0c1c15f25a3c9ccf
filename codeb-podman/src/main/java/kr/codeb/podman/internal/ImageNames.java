package kr.codeb.podman.internal;

import java.util.regex.Pattern;
import kr.codeb.runtime.ImageRef;

/**
 * Fully qualifies image references for Podman, which otherwise resolves short names through
 * its {@code unqualified-search-registries} (several registries, or a prompt) rather than
 * Docker Hub. CodeB gives a reference the meaning Docker gives it, so the same deploy runs the
 * same image on both engines:
 * <ul>
 *   <li>a first component with a '.' or ':', or {@code localhost}, is a registry: unchanged
 *       ({@code ghcr.io/acme/web:1}, {@code 127.0.0.1:5000/app}, {@code localhost/app:v1});
 *   <li>{@code name[:tag]} becomes {@code docker.io/library/name[:tag]};
 *   <li>{@code org/name[:tag]} becomes {@code docker.io/org/name[:tag]};
 *   <li>image ids ({@code sha256:...} or 64 hex digits) are unchanged.
 * </ul>
 * Podman then reports the qualified name as the container's image.
 */
public final class ImageNames {
  private static final Pattern ID = Pattern.compile("(sha256:)?[a-f0-9]{64}|sha256:[a-f0-9]{12,64}");

  private ImageNames() {}

  /** The fully qualified reference (checked first: a malformed one is refused). */
  public static String qualify(String image) {
    if (image != null && ID.matcher(image).matches()) {
      return image;
    }
    String ref = ImageRef.check(image);
    int slash = ref.indexOf('/');
    if (slash > 0) {
      String head = ref.substring(0, slash);
      if (head.contains(".") || head.contains(":") || head.equals("localhost")) {
        return ref;
      }
      return "docker.io/" + ref;
    }
    return "docker.io/library/" + ref;
  }
}
