package io.valuetier.api;

import io.valuetier.testing.TestStores;

/** The REST API on the embedded H2 store. */
class ApiOnH2Test extends ApiSecurityContract {
  @Override
  String dbUrl() {
    return TestStores.h2Url(work);
  }
}
