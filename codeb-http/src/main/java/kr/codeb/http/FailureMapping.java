package kr.codeb.http;

import kr.codeb.CodeBException;

/**
 * Turns an API's failure into CodeB's exception family. The retry of idempotent calls follows
 * the result: a {@link CodeBException#isRetryable() retryable} exception is retried.
 */
@FunctionalInterface
public interface FailureMapping {
  /** {@link ApiFailure#standardException()}. */
  FailureMapping STANDARD = ApiFailure::standardException;

  CodeBException toException(ApiFailure failure);
}
