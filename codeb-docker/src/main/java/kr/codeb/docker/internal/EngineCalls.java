package kr.codeb.docker.internal;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.transport.DockerHttpClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import kr.codeb.UnavailableException;
import kr.codeb.docker.DockerConfig;

/**
 * How {@link DockerEngine} calls the engine: each call that is not a stream is cut at the
 * config's call timeout ({@link CallDeadline}), and every failure comes out as one of CodeB's
 * exceptions ({@link Errors}), naming the engine, where it is and what it was doing.
 */
final class EngineCalls {
  /** One docker-java call on the engine's client. */
  interface Call<T> {
    T apply(DockerClient client);
  }

  private final DockerConfig config;
  private final EngineDialect dialect;
  private final Connector connector;

  EngineCalls(DockerConfig config, EngineDialect dialect, Connector connector) {
    this.config = config;
    this.dialect = dialect;
    this.connector = connector;
  }

  /**
   * Runs one docker-java call that is not a stream, within the config's call timeout, mapping
   * every failure into the CodeB family.
   */
  <T> T call(String what, Call<T> call) {
    return call(what, config.callTimeout(), call);
  }

  /** The same within {@code limit} ({@code null}: no limit, for a call with its own). */
  <T> T call(String what, Duration limit, Call<T> call) {
    DockerClient client = connector.client();
    try {
      return limit == null ? call.apply(client) : within(what, limit, () -> call.apply(client));
    } catch (UnavailableException e) {
      throw e;
    } catch (RuntimeException e) {
      throw Errors.map(e, what, connector.where(), List.of(), dialect);
    }
  }

  /**
   * {@code body} cut at {@code limit} ({@link CallDeadline}): past it, an
   * {@link UnavailableException} naming the engine (and its server), what it was doing and how
   * to wait longer (the dialect's variable). Other failures are thrown as they are.
   */
  <T> T within(String what, Duration limit, Supplier<T> body) {
    return CallDeadline.within(dialect, connector::where, what, limit, body);
  }

  /** A raw API call for the dialect: status and body, failures mapped like any other call. */
  EngineDialect.RawResponse raw(String method, String path) {
    DockerHttpClient.Request request = DockerHttpClient.Request.builder()
        .method(DockerHttpClient.Request.Method.valueOf(method))
        .path(path)
        .build();
    try {
      return within(method + " " + path, config.callTimeout(), () -> {
        try (DockerHttpClient.Response response = connector.http().execute(request)) {
          byte[] body = response.getBody() == null ? new byte[0]
              : response.getBody().readAllBytes();
          return new EngineDialect.RawResponse(response.getStatusCode(),
              new String(body, StandardCharsets.UTF_8));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (UnavailableException e) {
      throw e;
    } catch (UncheckedIOException e) {
      throw Errors.map(e, method + " " + path, connector.where(), List.of(), dialect);
    } catch (RuntimeException e) {
      throw Errors.map(e, method + " " + path, connector.where(), List.of(), dialect);
    }
  }
}
