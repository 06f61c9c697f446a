package io.valuetier.pipeline;

import io.valuetier.testing.TestStores;

/** The main job against the MariaDB server through MySQL Connector/J (as `valuetier run --db jdbc:mysql://...`). */
class MainJobMysqlTest extends MainJobContract {
  private String url;

  @Override
  String dbUrl() {
    if (url == null) {
      url = TestStores.createMysqlDatabase("vt_run");
    }
    return url;
  }

  @Override
  void drop() {
    if (url != null) {
      TestStores.dropMysql(url);
      url = null;
    }
  }
}
