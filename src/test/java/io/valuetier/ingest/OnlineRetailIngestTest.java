package io.valuetier.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.valuetier.config.Settings;
import io.valuetier.records.IngestReport;
import io.valuetier.store.Store;
import io.valuetier.store.Stores;
import io.valuetier.testing.TestStores;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole UCI Online Retail file (541,909 rows) through the real route, on H2 and on MariaDB: every row is
 * accounted for with the reasons the README lists, and a second ingest changes nothing.
 */
@Tag("slow")
class OnlineRetailIngestTest {
  static final Path FILE = TestStores.home().resolve("data/sample/online_retail.csv.gz");

  @TempDir Path work;

  private static void ingestTwiceAndCheck(Settings s) {
    try (Store store = Stores.open(s);
        IngestService ingest = new IngestService(s, store)) {
      IngestReport first = ingest.ingestTransactions(FILE, TransactionFormat.ONLINE_RETAIL);
      assertEquals(541_909, first.read());
      assertEquals(first.read(), first.accepted() + first.rejected());
      assertEquals(
          Map.of("MISSING_CUSTOMER_ID", 135_080L, "DUPLICATE", 5_225L, "ZERO_PRICE", 40L), first.rejectedByReason());
      assertEquals(401_564, first.accepted());
      assertEquals(8_872, first.returns());
      assertEquals(4_371, first.customers());
      assertEquals(401_564, first.store().transactions());
      assertEquals(140_345, first.store().rejected());
      assertEquals(
          0,
          store.queryLong(
              "SELECT ROUND(SUM(amount)) - 8278519 FROM transaction_lines"),
          "net spend of the accepted lines (returns netted)");

      IngestReport second = ingest.ingestTransactions(FILE, TransactionFormat.ONLINE_RETAIL);
      assertEquals(first.store(), second.store());
      assertEquals(first.rejectedByReason(), second.rejectedByReason());
    }
  }

  @Test
  void theOnlineRetailFileIsFullyAccountedForOnH2AndASecondIngestChangesNothing() {
    ingestTwiceAndCheck(TestStores.settings(TestStores.h2Url(work), work, Map.of()));
  }

  @Test
  void theOnlineRetailFileIsFullyAccountedForOnMariaDbAndASecondIngestChangesNothing() {
    String url = TestStores.createMysqlDatabase("vt_or");
    try {
      ingestTwiceAndCheck(TestStores.settings(url, work, Map.of()));
    } finally {
      TestStores.dropMysql(url);
    }
  }
}
