package kr.codeb;

/**
 * The engine's own health verdict. {@code NONE} when the image has no healthcheck;
 * {@code STARTING} also when the engine cannot run checks by itself (Podman without systemd).
 */
public enum HealthStatus {
  NONE, STARTING, HEALTHY, UNHEALTHY
}
