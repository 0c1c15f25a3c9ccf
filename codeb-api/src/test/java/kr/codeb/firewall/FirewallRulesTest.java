package kr.codeb.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import kr.codeb.InvalidRequestException;
import kr.codeb.model.IpAddress;
import kr.codeb.ports.PortRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FirewallRulesTest {

  @Test
  void parsesAPortFromAHost() {
    FirewallRule r = FirewallRules.parse(null, "5432", "10.1.2.3/32", "db");
    assertEquals(new FirewallRule(Protocol.TCP, Optional.of(new PortRange(5432, 5432)),
        IpAddress.of("10.1.2.3"), 32, "db"), r);
    assertEquals("5432", FirewallRules.port(r));
    assertEquals("10.1.2.3/32", FirewallRules.source(r));
  }

  @Test
  void rangesInBothFormsAndBareAddresses() {
    FirewallRule colon = FirewallRules.parse("UDP", "8000:8999", "10.1.0.0/16", null);
    FirewallRule dash = FirewallRules.parse("udp", "8000-8999", "10.1.0.0/16", "");
    assertEquals(colon, dash);
    assertEquals(Protocol.UDP, colon.protocol());
    assertEquals("8000:8999", FirewallRules.port(colon));
    assertEquals(32, FirewallRules.parse("tcp", "22", "10.0.0.1", null).prefix());
    FirewallRule v6 = FirewallRules.parse("tcp", "443", "FD00:0:0::1", null);
    assertEquals(128, v6.prefix());
    assertEquals("fd00::1", v6.subnet().value());
    assertEquals(64, FirewallRules.parse("tcp", "443", "fd00::/64", null).prefix());
  }

  @Test
  void icmpHasNoPort() {
    FirewallRule icmp = FirewallRules.parse("icmp", null, "0.0.0.0/0", null);
    assertTrue(icmp.ports().isEmpty());
    assertEquals("", FirewallRules.port(icmp));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "tcp|9000:8000|10.0.0.1/32|backwards",
      "tcp|9000-8000|10.0.0.1/32|backwards",
      "tcp|0|10.0.0.1/32|outside 1-65535",
      "tcp|70000|10.0.0.1/32|outside 1-65535",
      "tcp|80:70000|10.0.0.1/32|outside 1-65535",
      "tcp|http|10.0.0.1/32|invalid port",
      "tcp|80,443|10.0.0.1/32|invalid port",
      "tcp||10.0.0.1/32|need a port",
      "tcp|80|10.1.2.3/33|invalid prefix",
      "tcp|80|fd00::/129|invalid prefix",
      "tcp|80|10.1.2.3/-1|invalid prefix",
      "tcp|80|10.1.2.3/|invalid prefix",
      "tcp|80|10.1.2.300/32|not an IP address",
      "tcp|80|example.com/32|not an IP address",
      "tcp|80|10.1.2.3/24|10.1.2.0/24",
      "tcp|80|fd00::1/64|fd00::/64",
      "tcp|80||no source given",
      "sctp|80|10.0.0.1/32|unknown protocol",
      "icmp|80|10.0.0.1/32|icmp has no ports",
  })
  void refusesBadInputSayingWhatIsAllowed(String proto, String port, String from, String words) {
    InvalidRequestException e = assertThrows(InvalidRequestException.class,
        () -> FirewallRules.parse(proto, port, from, null));
    assertTrue(e.getMessage().contains(words), e.getMessage());
  }

  @Test
  void refusesNotesWithControlCharactersOrTooLong() {
    assertThrows(InvalidRequestException.class,
        () -> FirewallRules.parse("tcp", "80", "10.0.0.1", "a\nb"));
    assertThrows(InvalidRequestException.class,
        () -> FirewallRules.parse("tcp", "80", "10.0.0.1", "x".repeat(256)));
  }

  @Test
  void sameTrafficIgnoresTheNote() {
    FirewallRule a = FirewallRules.parse("tcp", "80", "10.0.0.1", "a");
    FirewallRule b = FirewallRules.parse("tcp", "80", "10.0.0.1/32", "b");
    assertTrue(FirewallRules.sameTraffic(a, b));
    assertFalse(FirewallRules.sameTraffic(a, FirewallRules.parse("tcp", "81", "10.0.0.1", "a")));
    assertFalse(FirewallRules.sameTraffic(a, FirewallRules.parse("udp", "80", "10.0.0.1", "a")));
    assertEquals("tcp 80 from 10.0.0.1/32 (a)", FirewallRules.describe(a));
  }

  @Test
  void networkClearsHostBits() {
    assertEquals(IpAddress.of("10.1.2.0"), FirewallRules.network(IpAddress.of("10.1.2.3"), 24));
    assertEquals(IpAddress.of("0.0.0.0"), FirewallRules.network(IpAddress.of("10.1.2.3"), 0));
    assertEquals(IpAddress.of("fd00::"), FirewallRules.network(IpAddress.of("fd00::1"), 64));
  }
}
