package kr.codeb.ssot.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import kr.codeb.InvalidRequestException;
import kr.codeb.deploy.DeployKey;
import kr.codeb.deploy.DeployLock;
import kr.codeb.deploy.EnvSource;
import kr.codeb.deploy.ReleaseOutcome;
import kr.codeb.deploy.ReleaseRecord;
import kr.codeb.model.Environment;
import kr.codeb.model.ProjectName;
import kr.codeb.model.Slot;

/** JSON for release records (one per line) and lock files. */
public final class ReleaseCodec {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ReleaseCodec() {}

  public static String line(ReleaseRecord r) {
    ObjectNode n = JSON.createObjectNode();
    n.put("time", r.time().toString());
    n.put("project", r.key().project().value());
    n.put("environment", r.key().environment().name());
    n.put("release", r.release());
    n.put("actor", r.actor());
    n.put("image", r.image());
    n.put("slot", r.slot().id());
    n.put("port", r.port());
    n.put("containerPort", r.containerPort());
    n.put("healthPath", r.healthPath());
    ObjectNode env = n.putObject("env");
    r.envSource().file().ifPresent(f -> env.put("file", f));
    r.envSource().optionKeys().forEach(env.putArray("optionKeys")::add);
    env.put("hash", r.envHash());
    n.put("outcome", r.outcome().id());
    n.put("message", r.message());
    return n.toString();
  }

  public static ReleaseRecord record(String line, String where) {
    try {
      JsonNode n = JSON.readTree(line);
      DeployKey key = new DeployKey(ProjectName.of(text(n, "project")),
          Environment.of(text(n, "environment")));
      return new ReleaseRecord(Instant.parse(text(n, "time")), key, text(n, "release"),
          text(n, "actor"), text(n, "image"), Slot.parse(text(n, "slot")), n.path("port").asInt(),
          n.path("containerPort").asInt(), text(n, "healthPath"), envSource(n.path("env")),
          envHash(n.path("env")), ReleaseOutcome.parse(text(n, "outcome")),
          n.path("message").asText(""));
    } catch (IOException | RuntimeException e) {
      throw new InvalidRequestException(where + ": not a release record: " + e.getMessage(), e);
    }
  }

  public static String lock(DeployLock l) {
    ObjectNode n = JSON.createObjectNode();
    n.put("project", l.key().project().value());
    n.put("environment", l.key().environment().name());
    n.put("holder", l.holder());
    n.put("token", l.token());
    n.put("acquired", l.acquired().toString());
    n.put("expires", l.expires().toString());
    return n.toString();
  }

  public static DeployLock lock(String json, String where) {
    try {
      JsonNode n = JSON.readTree(json);
      DeployKey key = new DeployKey(ProjectName.of(text(n, "project")),
          Environment.of(text(n, "environment")));
      return new DeployLock(key, text(n, "holder"), text(n, "token"),
          Instant.parse(text(n, "acquired")), Instant.parse(text(n, "expires")));
    } catch (IOException | RuntimeException e) {
      throw new InvalidRequestException(where + ": not a lock file: " + e.getMessage(), e);
    }
  }

  /** A line written before the environment was recorded has an unrecorded hash. */
  private static EnvSource envSource(JsonNode env) {
    if (env.isMissingNode()) {
      return EnvSource.NONE;
    }
    Optional<String> file = env.hasNonNull("file") ? Optional.of(text(env, "file"))
        : Optional.empty();
    List<String> keys = new ArrayList<>();
    env.path("optionKeys").forEach(k -> keys.add(k.asText()));
    return new EnvSource(file, keys);
  }

  private static String envHash(JsonNode env) {
    return env.isMissingNode() ? EnvSource.UNRECORDED : text(env, "hash");
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual()) {
      throw new InvalidRequestException("missing text field '" + field + "'");
    }
    return v.asText();
  }
}
