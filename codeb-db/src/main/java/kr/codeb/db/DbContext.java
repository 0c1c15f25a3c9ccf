package kr.codeb.db;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import kr.codeb.InvalidRequestException;
import kr.codeb.firewall.FirewallProvider;
import kr.codeb.model.Environment;
import kr.codeb.model.IpAddress;
import kr.codeb.ports.SsotStore;

/**
 * What {@link Databases} works with.
 *
 * @param ssot where the ports come from and are recorded
 * @param firewall the storage server's firewall, when the server has a firewall group
 * @param sources the addresses allowed to reach a project's databases (its app server's private
 *     address), one firewall rule each
 * @param range the SSOT range the storage services' ports come from ({@code storage})
 */
public record DbContext(SsotStore ssot, StorageServer storage,
    Optional<FirewallProvider> firewall, List<IpAddress> sources, Environment range) {
  public static final Environment STORAGE_RANGE = Environment.of("storage");

  public DbContext {
    Objects.requireNonNull(ssot, "ssot");
    Objects.requireNonNull(storage, "storage");
    Objects.requireNonNull(firewall, "firewall");
    sources = List.copyOf(sources);
    Objects.requireNonNull(range, "range");
    if (storage.server().firewallGroup().isPresent() && firewall.isEmpty()) {
      throw new InvalidRequestException("storage server " + storage.server().name()
          + " has firewall group " + storage.server().firewallGroup().get() + " but no firewall"
          + " provider is given: pass --firewall URI, or set CODEB_FIREWALL");
    }
  }
}
