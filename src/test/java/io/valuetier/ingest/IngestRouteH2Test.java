package io.valuetier.ingest;

import io.valuetier.testing.TestStores;

/** The ingest contract on the embedded H2 store. */
class IngestRouteH2Test extends IngestRouteContract {
  @Override
  String dbUrl() {
    return TestStores.h2Url(work);
  }
}
