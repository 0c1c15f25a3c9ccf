package kr.codeb.ssotserver;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import kr.codeb.Checks;
import kr.codeb.InvalidRequestException;

/**
 * A token as the token file describes it: never its value, which is shown once when it is
 * created and stored only as a SHA-256 hash.
 *
 * @param name a DNS-label-like name saying whose it is ({@code ci-app1}); what logs show
 * @param scopes what it may do; at least one
 * @param created when it was created
 */
public record TokenInfo(String name, Set<TokenScope> scopes, Instant created) {
  public TokenInfo {
    Checks.label("token name", name, "ci-app1");
    Objects.requireNonNull(scopes, "scopes");
    if (scopes.isEmpty()) {
      throw new InvalidRequestException("token " + name + " has no scope: give read, allocate or repair");
    }
    scopes = Set.copyOf(EnumSet.copyOf(scopes));
    Objects.requireNonNull(created, "created");
  }

  public boolean allows(TokenScope scope) {
    // Every write scope implies read: a runner that allocates also looks its ports up.
    return scopes.contains(scope) || scope == TokenScope.READ && !scopes.isEmpty();
  }
}
