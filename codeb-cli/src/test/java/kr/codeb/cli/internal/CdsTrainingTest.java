package kr.codeb.cli.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CdsTrainingTest {
  @Test
  void theFleetClassListNamesClassesOfThisBuild() throws Exception {
    CdsTraining.Loaded loaded = CdsTraining.loadFleetClasses();
    // The SSH, TLS, Docker and JDBC classes of a real `we init`: a list this short or this
    // stale would leave most of them out of bin/we's archive again (re-run
    // bench/cds-class-list.sh after changing dependencies).
    assertTrue(loaded.listed() > 1_000, "only " + loaded.listed() + " classes listed");
    assertTrue(loaded.missing().size() * 20 < loaded.listed(), loaded.missing().size() + " of "
        + loaded.listed() + " listed classes are not in this build, e.g. "
        + loaded.missing().stream().limit(5).toList());
  }
}
