package io.valuetier.ingest;

import io.valuetier.testing.TestStores;

/** The ingest contract on the real MariaDB server through MySQL Connector/J. */
class IngestRouteMysqlTest extends IngestRouteContract {
  private String url;

  @Override
  String dbUrl() {
    if (url == null) {
      url = TestStores.createMysqlDatabase("vt_ingest");
    }
    return url;
  }

  @Override
  void afterAll() {
    TestStores.dropMysql(url);
    url = null;
  }
}
