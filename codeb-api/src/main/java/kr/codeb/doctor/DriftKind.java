package kr.codeb.doctor;

import java.util.Locale;

/**
 * The kinds of drift {@link Doctor} finds between what CodeB believes (the SSOT, the release
 * history, the config file) and what the fleet runs. The ids ({@link #id()}) are part of
 * CodeB's stable JSON output; new kinds are only ever added.
 */
public enum DriftKind {
  /** The SSOT disagrees with itself ({@code we ssot check}); fixed by repair when repairable. */
  SSOT_FINDING(Area.SSOT),
  /** The live slot of a deployed project has no running container. Fixed by starting it. */
  CONTAINER_MISSING(Area.CONTAINERS),
  /** A running container labelled {@code codeb.project} that no SSOT entry owns. Fixed by stopping it. */
  CONTAINER_UNOWNED(Area.CONTAINERS),
  /** A running container publishes a port the SSOT gives to another project. */
  PORT_TAKEN(Area.CONTAINERS),
  /** A route dials the project's other slot, not the live one. Fixed by switching it. */
  ROUTE_NOT_LIVE(Area.PROXY),
  /** A route dials an upstream no container of the project publishes. Fixed by switching it. */
  ROUTE_DEAD(Area.PROXY),
  /** A CodeB route for a project and environment the SSOT does not know. Fixed by removing it. */
  ROUTE_UNKNOWN_PROJECT(Area.PROXY),
  /** CodeB's own settings on the proxy (Caddy: automatic_https, listen) differ from the config. */
  PROXY_SETTINGS(Area.PROXY),
  /** A domain CodeB manages has no A/AAAA record. Fixed by writing the edge's address. */
  DNS_RECORD_MISSING(Area.DNS),
  /** A domain CodeB manages points somewhere other than the edge. Fixed by rewriting it. */
  DNS_RECORD_ELSEWHERE(Area.DNS),
  /** A port published on a storage server that the app servers may not reach through its firewall. */
  FIREWALL_RULE_MISSING(Area.FIREWALL),
  /** A rule CodeB made (its note starts with {@code codeb:}) for a port nothing uses. */
  FIREWALL_RULE_UNUSED(Area.FIREWALL),
  /**
   * A project's database in the SSOT ({@code services.<env>.<service>.port}) with no running
   * container on the storage server. Fixed by starting a stopped one; a missing one is for
   * {@code we db create}.
   */
  DATABASE_MISSING(Area.DATABASES),
  /**
   * A running container labelled {@code codeb.role=database} that no SSOT service owns. Fixed
   * by stopping it (kept, with its data volume).
   */
  DATABASE_UNOWNED(Area.DATABASES);

  /** The part of the fleet a kind is about. */
  public enum Area {
    SSOT, CONTAINERS, PROXY, DNS, FIREWALL, DATABASES;

    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Area area;

  DriftKind(Area area) {
    this.area = area;
  }

  public Area area() {
    return area;
  }

  /** The stable id used in JSON: {@code container-missing}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
