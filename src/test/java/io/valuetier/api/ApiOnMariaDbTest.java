package io.valuetier.api;

import io.valuetier.testing.TestStores;

/** The REST API on the real MariaDB server through MySQL Connector/J. */
class ApiOnMariaDbTest extends ApiSecurityContract {
  private String url;

  @Override
  String dbUrl() {
    if (url == null) {
      url = TestStores.createMysqlDatabase("vt_api");
    }
    return url;
  }

  @Override
  void drop() {
    if (url != null) {
      TestStores.dropMysql(url);
    }
  }
}
