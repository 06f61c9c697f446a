package io.valuetier.ingest;

import io.valuetier.testing.TestStores;

/** The input-bounds contract on the real MariaDB server (bulk load path). */
class InputBoundsIngestOnMariaDbTest extends InputBoundsIngestContract {
  private String url;

  @Override
  String dbUrl() {
    if (url == null) {
      url = TestStores.createMysqlDatabase("vt_bounds");
    }
    return url;
  }

  @Override
  void dropDatabase() {
    TestStores.dropMysql(url);
    url = null;
  }
}
