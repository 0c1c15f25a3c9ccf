package kr.codeb.powerdns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import kr.codeb.CodeBException;
import kr.codeb.ConflictException;
import kr.codeb.InvalidRequestException;
import kr.codeb.NotFoundException;
import kr.codeb.ProviderInfo;
import kr.codeb.UnavailableException;
import kr.codeb.dns.DnsProvider;
import kr.codeb.dns.RecordContent;
import kr.codeb.dns.RecordSet;
import kr.codeb.dns.RecordType;
import kr.codeb.dns.Zone;
import kr.codeb.fleet.ServerLink;
import kr.codeb.model.DnsName;
import kr.codeb.powerdns.internal.PdnsClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link DnsProvider} on the PowerDNS authoritative HTTP API (checked against 4.7.3).
 *
 * <p>Zones CodeB creates are {@code Native} with the given nameservers. A record set is written
 * with one {@code PATCH} ({@code changetype} {@code REPLACE}: afterwards the given records are
 * the only ones of that name and type) and deleted with {@code DELETE}; both are idempotent
 * and retried on 5xx and connection errors. Because PowerDNS answers 204 to a delete whether
 * or not the set existed, {@link #delete} reads the zone first to say which it was. Record
 * content is validated and normalised per type before anything is sent
 * ({@link RecordContent}: names absolute, TXT quoted, addresses literal).
 *
 * <p>{@link #zones()} lists names and kinds only (the list call does not carry nameservers);
 * {@link #ensureZone} returns the nameservers from the zone's apex NS set. Disabled records are
 * not listed. Safe for concurrent use: writes to one zone are serialised in this provider
 * (PowerDNS's sqlite backend answers 500 to concurrent writers). The API key is sent only in the {@code X-API-Key} header; it never appears in a
 * URI, a log line or an exception message.
 */
public final class PowerDnsProvider implements DnsProvider {
  private static final Logger LOG = LoggerFactory.getLogger(PowerDnsProvider.class);
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private final PowerDnsConfig config;
  private final PdnsClient client;
  private final String zonesPath;
  private final java.util.Map<DnsName, Object> writeLocks =
      new java.util.concurrent.ConcurrentHashMap<>();

  private PowerDnsProvider(PowerDnsConfig config, Optional<ServerLink> server) {
    this.config = config;
    this.client = new PdnsClient(config.api(), config.apiKey(), config.timeout(), server);
    this.zonesPath = "/api/v1/servers/" + config.server() + "/zones";
  }

  /** A provider on the API in {@code config}. Does no I/O. */
  public static PowerDnsProvider create(PowerDnsConfig config) {
    return new PowerDnsProvider(Objects.requireNonNull(config, "config"), Optional.empty());
  }

  /**
   * A provider on the API of the PowerDNS that runs on the server {@code link} reaches ({@code
   * config}'s address as that server sees it), through a forward over the link. The link stays
   * the caller's. Does no I/O but opening the forward.
   */
  public static PowerDnsProvider onServer(ServerLink link, PowerDnsConfig config) {
    return new PowerDnsProvider(Objects.requireNonNull(config, "config"),
        Optional.of(Objects.requireNonNull(link, "link")));
  }

  public PowerDnsConfig config() {
    return config;
  }

  @Override
  public ProviderInfo info() {
    return new ProviderInfo("powerdns", config.api() + " server " + config.server());
  }

  @Override
  public List<Zone> zones() {
    JsonNode list = client.call("GET", zonesPath, null, true, "list zones").body();
    List<Zone> zones = new ArrayList<>();
    for (JsonNode z : list) {
      name(z.path("name").asText()).ifPresent(n ->
          zones.add(new Zone(n, z.path("kind").asText("Native"), List.of())));
    }
    return zones;
  }

  /** From {@code GET /api/v1/servers/SERVER}: the daemon's {@code version}. */
  @Override
  public Optional<String> version() {
    JsonNode server = client.call("GET", "/api/v1/servers/" + config.server(), null, true,
        "read the server").body();
    String v = server.path("version").asText("");
    return v.isBlank() ? Optional.empty() : Optional.of(v);
  }

  @Override
  public Zone ensureZone(DnsName zone, List<DnsName> nameservers) {
    Objects.requireNonNull(zone, "zone");
    List<DnsName> ns = List.copyOf(nameservers);
    CodeBException last = null;
    for (int attempt = 1; attempt <= 3; attempt++) {
      Optional<JsonNode> existing = readZone(zone);
      if (existing.isPresent()) {
        return toZone(existing.get());
      }
      ObjectNode body = F.objectNode();
      body.put("name", zone.value());
      body.put("kind", "Native");
      ArrayNode list = body.putArray("nameservers");
      ns.forEach(n -> list.add(n.value()));
      try {
        // Not idempotent, so never retried blindly: the next round reads the zone first.
        JsonNode made = client.call("POST", zonesPath, body, false, "create zone " + zone).body();
        LOG.info("PowerDNS zone {} created (nameservers {})", zone, ns);
        return toZone(made);
      } catch (ConflictException e) {
        last = e; // made meanwhile (by another caller, or by an attempt whose answer was lost)
      } catch (UnavailableException e) {
        last = e;
        sleepQuietly(200L * attempt);
      }
    }
    Optional<JsonNode> existing = readZone(zone);
    if (existing.isPresent()) {
      return toZone(existing.get());
    }
    throw last;
  }

  @Override
  public List<RecordSet> recordSets(DnsName zone) {
    JsonNode z = readZone(zone).orElseThrow(() -> missing(zone));
    return toSets(z);
  }

  @Override
  public RecordSet upsert(DnsName zone, RecordSet rrset) {
    Objects.requireNonNull(zone, "zone");
    RecordSet set = RecordContent.normalise(Objects.requireNonNull(rrset, "rrset"));
    within(zone, set.name());
    ObjectNode change = F.objectNode();
    change.put("name", set.name().value());
    change.put("type", set.type().name());
    change.put("ttl", set.ttl());
    change.put("changetype", "REPLACE");
    ArrayNode records = change.putArray("records");
    set.records().forEach(r -> records.addObject().put("content", r).put("disabled", false));
    patch(zone, change, "replace " + set.name() + " " + set.type());
    return set;
  }

  @Override
  public boolean delete(DnsName zone, DnsName name, RecordType type) {
    Objects.requireNonNull(name, "name");
    RecordType t = Objects.requireNonNull(type, "type");
    boolean exists = recordSets(zone).stream()
        .anyMatch(s -> s.name().equals(name) && s.type() == t);
    if (!exists) {
      return false;
    }
    ObjectNode change = F.objectNode();
    change.put("name", name.value());
    change.put("type", t.name());
    change.put("changetype", "DELETE");
    patch(zone, change, "delete " + name + " " + t);
    return true;
  }

  /** Deletes the zone with all its records. Idempotent: {@code false} if there was none. */
  @Override
  public boolean deleteZone(DnsName zone) {
    try {
      client.call("DELETE", zonePath(zone), null, true, "delete zone " + zone);
      return true;
    } catch (NotFoundException e) {
      return false;
    }
  }

  @Override
  public void close() {
    client.close();
  }

  private void patch(DnsName zone, ObjectNode change, String what) {
    ObjectNode body = F.objectNode();
    body.putArray("rrsets").add(change);
    // PowerDNS's sqlite backend answers 500 ("database is locked") to concurrent writes; writes
    // from this provider are serialised per zone, others are met by the client's retry.
    synchronized (writeLock(zone)) {
      try {
        client.call("PATCH", zonePath(zone), body, true, what + " in zone " + zone);
      } catch (NotFoundException e) {
        throw missing(zone);
      }
    }
  }

  private Object writeLock(DnsName zone) {
    return writeLocks.computeIfAbsent(zone, z -> new Object());
  }

  private Optional<JsonNode> readZone(DnsName zone) {
    try {
      return Optional.of(client.call("GET", zonePath(zone), null, true, "read zone " + zone).body());
    } catch (NotFoundException e) {
      return Optional.empty();
    }
  }

  private String zonePath(DnsName zone) {
    return zonesPath + "/" + zone.value();
  }

  private NotFoundException missing(DnsName zone) {
    return new NotFoundException("no zone " + zone + " on PowerDNS at " + config.api()
        + " (server " + config.server() + ")", "powerdns", 404, null);
  }

  private static void within(DnsName zone, DnsName name) {
    if (!name.isWithin(zone)) {
      throw new InvalidRequestException("record name " + name + " is not inside the zone " + zone);
    }
  }

  private Zone toZone(JsonNode z) {
    DnsName name = DnsName.of(z.path("name").asText());
    List<DnsName> ns = new ArrayList<>();
    for (RecordSet s : toSets(z)) {
      if (s.name().equals(name) && s.type() == RecordType.NS) {
        s.records().forEach(r -> name(r).ifPresent(ns::add));
      }
    }
    return new Zone(name, z.path("kind").asText("Native"), ns);
  }

  private List<RecordSet> toSets(JsonNode zone) {
    List<RecordSet> sets = new ArrayList<>();
    for (JsonNode rr : zone.path("rrsets")) {
      Optional<DnsName> name = name(rr.path("name").asText());
      List<String> records = new ArrayList<>();
      for (JsonNode r : rr.path("records")) {
        if (!r.path("disabled").asBoolean(false)) {
          records.add(r.path("content").asText());
        }
      }
      Optional<RecordType> type = RecordType.find(rr.path("type").asText());
      if (name.isEmpty() || records.isEmpty() || type.isEmpty()) {
        continue;
      }
      try {
        sets.add(new RecordSet(name.get(), type.get(), rr.path("ttl").asInt(1), records));
      } catch (InvalidRequestException e) {
        LOG.warn("skipped a PowerDNS record set CodeB cannot represent: {}", e.getMessage());
      }
    }
    return sets;
  }

  /** A name from PowerDNS; empty (with a warning) for one CodeB's DnsName cannot hold. */
  private static Optional<DnsName> name(String text) {
    try {
      return Optional.of(DnsName.of(text));
    } catch (InvalidRequestException e) {
      LOG.warn("skipped a PowerDNS name CodeB cannot represent: {}", e.getMessage());
      return Optional.empty();
    }
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
