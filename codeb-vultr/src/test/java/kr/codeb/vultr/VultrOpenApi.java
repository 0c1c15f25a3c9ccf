package kr.codeb.vultr;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.report.ValidationReport;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assertions;

/**
 * Vultr's own OpenAPI document for the firewall API ({@value #SPEC}, found from {@code user.dir}
 * upwards), as the check {@link VultrFake} runs on every request with
 * swagger-request-validator.
 */
final class VultrOpenApi {
  static final String SPEC = "shared/specs/vultr-firewall-openapi.json";

  private static volatile VultrOpenApi shared;
  private static volatile boolean specChecked;

  private final OpenApiInteractionValidator validator;

  private VultrOpenApi(OpenApiInteractionValidator validator) {
    this.validator = validator;
  }

  /** What the document says is wrong with the request ({@code OpenAPI: key: message}). */
  List<String> problems(String method, URI url, LoggedRequest r) {
    ValidationReport report = validator.validateRequest(toValidatorRequest(method, url, r));
    return report.getMessages().stream()
        .filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
        .map(m -> "OpenAPI: " + m.getKey() + ": " + m.getMessage())
        .toList();
  }

  /** Vultr's OpenAPI document, parsed once; null when absent outside CI. */
  static VultrOpenApi shared() {
    if (specChecked) {
      return shared;
    }
    synchronized (VultrOpenApi.class) {
      if (!specChecked) {
        Optional<Path> spec = findSpec();
        if (spec.isEmpty()) {
          String message = "Vultr's OpenAPI document (" + SPEC + ") was not found from "
              + System.getProperty("user.dir") + " upwards";
          if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(message + " (CI=true: the request check must run)");
          }
          System.out.println("NOTE: " + message + "; the OpenAPI check of requests is skipped"
              + " (the fake's own checks still run; with CI=true this fails)");
        } else {
          shared = new VultrOpenApi(load(spec.get()));
        }
        specChecked = true;
      }
      return shared;
    }
  }

  /**
   * Parses the document as it is. The parser's only complaint about Vultr's document is the
   * security scheme's name ("API Key" has a space), which the loader of the validator treats as
   * fatal; that one message is tolerated, any other fails.
   */
  private static OpenApiInteractionValidator load(Path spec) {
    String text;
    try {
      text = Files.readString(spec);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    io.swagger.v3.parser.core.models.ParseOptions parse =
        new io.swagger.v3.parser.core.models.ParseOptions();
    parse.setResolve(true);
    parse.setResolveFully(true);
    io.swagger.v3.parser.core.models.SwaggerParseResult result =
        new io.swagger.v3.parser.OpenAPIV3Parser().readContents(text, null, parse);
    List<String> messages = result.getMessages() == null ? List.of() : result.getMessages().stream()
        .filter(m -> !m.contains("SecurityScheme name API Key")).toList();
    if (result.getOpenAPI() == null || !messages.isEmpty()) {
      Assertions.fail("Vultr's OpenAPI document " + spec + " did not parse: " + messages);
    }
    return OpenApiInteractionValidator.createFor(result.getOpenAPI()).build();
  }

  static Optional<Path> findSpec() {
    for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath(); dir != null;
        dir = dir.getParent()) {
      Path candidate = dir.resolve(SPEC);
      if (Files.isRegularFile(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  private static Request toValidatorRequest(String method, URI url, LoggedRequest r) {
    SimpleRequest.Builder b = new SimpleRequest.Builder(method, url.getRawPath());
    for (String name : r.getAllHeaderKeys()) {
      b.withHeader(name, r.getHeaders().getHeader(name).values());
    }
    r.getQueryParams().forEach((name, q) -> b.withQueryParam(name, q.values()));
    byte[] body = r.getBody();
    if (body != null && body.length > 0) {
      b.withBody(body);
    }
    return b.build();
  }
}
