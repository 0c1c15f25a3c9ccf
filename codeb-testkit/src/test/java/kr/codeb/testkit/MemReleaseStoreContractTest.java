package kr.codeb.testkit;

import kr.codeb.deploy.ReleaseStore;
import kr.codeb.tck.ReleaseStoreContract;

class MemReleaseStoreContractTest extends ReleaseStoreContract {
  @Override
  protected ReleaseStore newStore() {
    return new MemReleaseStore();
  }

  @Override
  protected ReleaseStore reopen(ReleaseStore store) {
    return store;
  }
}
