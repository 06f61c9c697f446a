package io.valuetier.privacy;

import io.valuetier.testing.TestStores;
import org.junit.jupiter.api.AfterEach;

/** Erasure and retention on the real MariaDB (ingest through its bulk-load path): one fresh database per test. */
class CustomerErasureOnMariaDbTest extends CustomerErasureContract {
  private String url;

  @Override
  String dbUrl() {
    if (url == null) {
      url = TestStores.createMysqlDatabase("vt_erase");
    }
    return url;
  }

  @AfterEach
  void drop() {
    if (url != null) {
      TestStores.dropMysql(url);
      url = null;
    }
  }
}
