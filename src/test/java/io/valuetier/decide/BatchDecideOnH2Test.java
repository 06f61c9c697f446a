package io.valuetier.decide;

import io.valuetier.store.Store;
import io.valuetier.testing.TestStores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The batch decision run on the embedded H2 database. */
class BatchDecideOnH2Test extends BatchDecideContract {
  private Store store;

  @BeforeEach
  void open() {
    store = TestStores.h2();
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Override
  Store store() {
    return store;
  }
}
