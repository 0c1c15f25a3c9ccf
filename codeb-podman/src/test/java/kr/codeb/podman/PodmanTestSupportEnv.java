package kr.codeb.podman;

import java.util.Map;
import java.util.function.UnaryOperator;

/** An explicit environment for tests: these variables and nothing else. */
final class PodmanTestSupportEnv {
  private PodmanTestSupportEnv() {}

  static UnaryOperator<String> of(Map<String, String> vars) {
    return vars::get;
  }
}
