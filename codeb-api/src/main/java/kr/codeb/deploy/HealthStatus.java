package kr.codeb.deploy;

/**
 * The engine's own health verdict. {@code NONE} when the image has no healthcheck;
 * {@code STARTING} until a first check has run. Podman without systemd runs no checks by
 * itself: its runtime runs an overdue check when a container is inspected (or reports
 * {@code STARTING} when that is switched off). The deploy gate never waits for this verdict:
 * it probes over HTTP and only vetoes on {@code UNHEALTHY}.
 */
public enum HealthStatus {
  NONE, STARTING, HEALTHY, UNHEALTHY
}
