package io.valuetier.pipeline;

import io.valuetier.testing.TestStores;

/** The main job on the embedded H2 default. */
class MainJobH2Test extends MainJobContract {
  @Override
  String dbUrl() {
    return TestStores.h2Url(work);
  }
}
