package kr.codeb.runtime;

/** What a container engine says it is: {@code docker 20.10.24, API 1.41}. */
public record RuntimeVersion(String engine, String version, String apiVersion) {}
