package io.valuetier.ingest;

import io.valuetier.testing.TestStores;

/** The input-bounds contract on the embedded H2 store. */
class InputBoundsIngestOnH2Test extends InputBoundsIngestContract {
  @Override
  String dbUrl() {
    return TestStores.h2Url(work);
  }
}
