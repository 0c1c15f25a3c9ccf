package kr.codeb.ports;

import java.util.Set;

/**
 * Tells allocation which host ports are already in use outside the SSOT, such as ports
 * published by containers on the target engine, so it never hands them out.
 */
@FunctionalInterface
public interface PortProbe {
  PortProbe NONE = () -> Set.of();

  /** The host ports in use. Called once per allocation, before the registry is locked. */
  Set<Integer> portsInUse();
}
