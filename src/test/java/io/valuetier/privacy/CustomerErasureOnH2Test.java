package io.valuetier.privacy;

import io.valuetier.testing.TestStores;

/** Erasure and retention on the embedded H2 database. */
class CustomerErasureOnH2Test extends CustomerErasureContract {
  @Override
  String dbUrl() {
    return TestStores.h2Url(work);
  }
}
