package io.valuetier.decide;

import io.valuetier.store.Store;
import io.valuetier.testing.TestStores;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/** The batch decision run on the real MariaDB: one fresh database for this class, emptied before each test. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BatchDecideOnMariaDbTest extends BatchDecideContract {
  private String databaseUrl;
  private Store store;

  @BeforeAll
  void open() {
    databaseUrl = TestStores.createMysqlDatabase("vt_decide");
    store = TestStores.openMysql(databaseUrl);
  }

  @BeforeEach
  void empty() {
    for (String table : new String[] {"decision_rows", "decision_outcomes", "contact_log", "decision_runs", "scores", "customers",
        "rule_set_activations", "rule_set_versions", "action_deliveries"}) {
      store.execute("DELETE FROM " + table);
    }
  }

  @AfterAll
  void close() {
    if (store != null) {
      store.close();
    }
    if (databaseUrl != null) {
      TestStores.dropMysql(databaseUrl);
    }
  }

  @Override
  Store store() {
    return store;
  }
}
