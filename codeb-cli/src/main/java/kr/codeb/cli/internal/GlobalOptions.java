package kr.codeb.cli.internal;

/** The values of the global options as given on the command line; null when not given. */
final class GlobalOptions {
  String config;
  String ssot;
  String runtime;
  String proxy;
  String dns;
  String firewall;
  boolean json;
}
