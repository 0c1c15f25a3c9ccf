package kr.codeb.testkit;

import kr.codeb.ports.Registry;
import kr.codeb.ports.SsotStore;
import kr.codeb.tck.SsotStoreContract;

class MemSsotStoreContractTest extends SsotStoreContract {
  @Override
  protected SsotStore newStore(Registry initial) {
    return MemSsotStore.create(initial);
  }

  @Override
  protected SsotStore reopen(SsotStore store) {
    return ((MemSsotStore) store).reopen();
  }
}
