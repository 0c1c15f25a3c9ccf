package kr.codeb.runtime;

/** A container's run state as the engine reports it. */
public enum ContainerState {
  CREATED, RUNNING, PAUSED, RESTARTING, EXITED, DEAD, UNKNOWN
}
