package kr.codeb.powerdns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import java.util.Map;
import kr.codeb.AuthException;
import kr.codeb.InvalidRequestException;
import kr.codeb.ProviderRegistry;
import kr.codeb.Secret;
import kr.codeb.UnavailableException;
import kr.codeb.dns.DnsProvider;
import kr.codeb.dns.RecordSet;
import kr.codeb.dns.RecordType;
import kr.codeb.model.DnsName;
import kr.codeb.tck.DnsProviderContract;
import kr.codeb.tck.TestEngines;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The DNS contract against the real pdns_server of the test environment, plus its edges. */
class PowerDnsProviderContractTest extends DnsProviderContract {
  private static PowerDnsProvider dns;
  private static String api;
  private static String key;

  @BeforeAll
  static void open() {
    api = TestEngines.require("CODEB_TEST_PDNS_API");
    key = TestEngines.require("CODEB_TEST_PDNS_API_KEY");
    dns = PowerDnsProvider.create(PowerDnsConfig.of(URI.create(api), Secret.of(key)));
  }

  @AfterAll
  static void close() {
    if (dns != null) {
      dns.close();
    }
  }

  @Override
  protected DnsProvider provider() {
    return dns;
  }

  @Override
  protected void removeZone(DnsName zone) {
    dns.deleteZone(zone);
  }

  private static String schemeUri() {
    return "powerdns+" + api + "?server=localhost";
  }

  @Test
  void foundThroughTheRegistryWithTheKeyFromTheEnvironment() {
    ProviderRegistry registry = ProviderRegistry.load(
        Map.of("CODEB_POWERDNS_API_KEY", key)::get);
    try (DnsProvider p = registry.dnsProvider(schemeUri())) {
      assertInstanceOf(PowerDnsProvider.class, p);
      assertTrue(p.zones().stream().anyMatch(z -> z.name().equals(zone())));
    }
  }

  @Test
  void aWrongKeyIsAnAuthErrorThatNeverShowsTheKey() {
    String wrong = "wrong-key-" + System.nanoTime();
    try (PowerDnsProvider p = PowerDnsProvider.create(
        PowerDnsConfig.of(URI.create(api), Secret.of(wrong)))) {
      AuthException e = assertThrows(AuthException.class, p::zones);
      assertFalse(e.getMessage().contains(wrong), e.getMessage());
      assertEquals(401, e.httpStatus().orElse(0), e.getMessage());
    }
  }

  @Test
  void missingKeyOrKeyInTheUriIsBadInput() {
    ProviderRegistry none = ProviderRegistry.load(Map.<String, String>of()::get);
    InvalidRequestException e = assertThrows(InvalidRequestException.class,
        () -> none.dnsProvider(schemeUri()));
    assertTrue(e.getMessage().contains("CODEB_POWERDNS_API_KEY"), e.getMessage());
    assertThrows(InvalidRequestException.class,
        () -> none.dnsProvider("powerdns+http://127.0.0.1:8081?server=localhost&api-key=x"));
    assertThrows(InvalidRequestException.class,
        () -> none.dnsProvider("powerdns+http://user:secret@127.0.0.1:8081"));
  }

  @Test
  void aDownServerIsUnavailableAfterBoundedRetries() {
    try (PowerDnsProvider p = PowerDnsProvider.create(
        PowerDnsConfig.of(URI.create("http://127.0.0.1:9"), Secret.of("k")))) {
      UnavailableException e = assertThrows(UnavailableException.class, p::zones);
      assertTrue(e.isRetryable());
    }
  }

  @Test
  void powerDnsOwnMessageIsPassedOn() {
    // A CNAME next to another record at the same name: PowerDNS refuses (422) with its reason.
    DnsName name = DnsName.of("clash." + zone().value());
    dns.upsert(zone(), new RecordSet(name, RecordType.A, 300, List.of("203.0.113.1")));
    InvalidRequestException e = assertThrows(InvalidRequestException.class,
        () -> dns.upsert(zone(), new RecordSet(name, RecordType.CNAME, 300, List.of("x.example."))));
    assertEquals(422, e.httpStatus().orElse(0), e.getMessage());
    assertTrue(e.getMessage().contains("CNAME"), e.getMessage());
  }
}
