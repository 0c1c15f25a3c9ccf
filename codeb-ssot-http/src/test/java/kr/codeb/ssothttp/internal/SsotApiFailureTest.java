package kr.codeb.ssothttp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import kr.codeb.AuthException;
import kr.codeb.CodeBException;
import kr.codeb.ConflictException;
import kr.codeb.InvalidRequestException;
import kr.codeb.NotFoundException;
import kr.codeb.UnavailableException;
import kr.codeb.http.ApiFailure;
import org.junit.jupiter.api.Test;

/** The status mapping on its own (the real server's answers are in HttpSsotStoreTest). */
class SsotApiFailureTest {
  private static CodeBException of(int status, Optional<Duration> retryAfter) {
    return SsotApi.failure(new ApiFailure(SsotApi.PROVIDER, "SSOT server at http://127.0.0.1:1/",
        "GET /api/ssot/document", status, "the server's words", retryAfter));
  }

  @Test
  void statusesMapToTheFamily() {
    assertInstanceOf(AuthException.class, of(401, Optional.empty()));
    assertInstanceOf(AuthException.class, of(403, Optional.empty()));
    assertInstanceOf(NotFoundException.class, of(404, Optional.empty()));
    assertInstanceOf(ConflictException.class, of(409, Optional.empty()));
    assertInstanceOf(ConflictException.class, of(412, Optional.empty()));
    assertInstanceOf(InvalidRequestException.class, of(400, Optional.empty()));
    assertInstanceOf(InvalidRequestException.class, of(413, Optional.empty()));
    assertInstanceOf(UnavailableException.class, of(503, Optional.empty()));
    CodeBException limited = of(429, Optional.of(Duration.ofSeconds(1)));
    assertInstanceOf(UnavailableException.class, limited);
    assertTrue(limited.isRetryable());
    assertEquals(429, limited.httpStatus().orElse(0));
    assertTrue(limited.getMessage().contains("rate-limited (it asked to wait 1 s)"),
        limited.getMessage());
    assertTrue(of(401, Optional.empty()).getMessage().contains("the server's words"));
  }
}
