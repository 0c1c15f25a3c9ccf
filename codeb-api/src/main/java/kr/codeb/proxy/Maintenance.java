package kr.codeb.proxy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import kr.codeb.InvalidRequestException;

/**
 * A route's maintenance mode: every request for its hosts gets {@code 503 Service Unavailable}
 * with a small HTML page showing {@code message} and a {@code Retry-After} header. The page
 * writes the message's markup characters and braces as character references, so neither HTML
 * nor a template engine (Caddy's {@code templates}) ever reads it as code.
 *
 * @param message shown on the page (HTML-escaped); 1 to {@value #MAX_MESSAGE} characters, one
 *     line
 * @param retryAfter sent as {@code Retry-After} in whole seconds; 0 to 1 day
 */
public record Maintenance(String message, Duration retryAfter) {
  public static final int MAX_MESSAGE = 500;
  public static final String DEFAULT_MESSAGE =
      "This site is down for maintenance. Please try again shortly.";

  public Maintenance {
    Objects.requireNonNull(retryAfter, "retryAfter");
    if (message == null || message.isBlank() || message.length() > MAX_MESSAGE
        || message.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      throw new InvalidRequestException("invalid maintenance message: give 1 to " + MAX_MESSAGE
          + " characters on one line (no control characters)");
    }
    if (retryAfter.isNegative() || retryAfter.compareTo(Duration.ofDays(1)) > 0
        || retryAfter.toMillis() % 1000 != 0) {
      throw new InvalidRequestException("invalid Retry-After " + retryAfter.toSeconds()
          + " s: use whole seconds from 0 to 86400");
    }
  }

  /** The default message with {@code retryAfter}. */
  public static Maintenance of(Duration retryAfter) {
    return new Maintenance(DEFAULT_MESSAGE, retryAfter);
  }

  /** The page every request gets. */
  public String page() {
    return "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>503 Service Unavailable"
        + "</title></head>\n<body><h1>Service Unavailable</h1>\n<p>" + escape(message)
        + "</p></body></html>\n";
  }

  /** The maintenance a {@link #page()} and Retry-After value came from. */
  public static Maintenance fromPage(String page, long retryAfterSeconds) {
    int start = page.indexOf("<p>");
    int end = page.indexOf("</p>", start + 3);
    if (start < 0 || end < 0) {
      throw new InvalidRequestException("not a CodeB maintenance page");
    }
    return new Maintenance(unescape(page.substring(start + 3, end)),
        Duration.ofSeconds(retryAfterSeconds));
  }

  /** The page's size in bytes (UTF-8). */
  public int pageBytes() {
    return page().getBytes(StandardCharsets.UTF_8).length;
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\"", "&quot;").replace("'", "&#39;")
        .replace("{", "&#123;").replace("}", "&#125;");
  }

  private static String unescape(String s) {
    return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
        .replace("&#39;", "'").replace("&#123;", "{").replace("&#125;", "}")
        .replace("&amp;", "&");
  }
}
