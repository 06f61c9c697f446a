package io.valuetier.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.valuetier.ingest.TransactionFormat;
import io.valuetier.model.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CustomerLogTest {

  @Test
  void aDayKeepsPurchasesAndReturnsApartSoThatFeaturesCanNetThem() {
    CustomerLog log = CustomerLog.builder().add("A", 100, 50, 2, "P1", null).add("A", 100, -20, -1, "P1", null).build();
    assertEquals(1, log.records());
    assertEquals(50, log.gross(0), 1e-12);
    assertEquals(20, log.returned(0), 1e-12);
    assertEquals(30, log.netTotal(), 1e-12);
  }

  @Test
  void theFingerprintDoesNotDependOnTheOrderOfTheLines() {
    CustomerLog a = CustomerLog.builder().add("A", 100, 50, 2, "P1", "UK").add("B", 101, 10, 1, "P2", "UK").build();
    CustomerLog b = CustomerLog.builder().add("B", 101, 10, 1, "P2", "UK").add("A", 100, 50, 2, "P1", "UK").build();
    CustomerLog c = CustomerLog.builder().add("B", 101, 11, 1, "P2", "UK").add("A", 100, 50, 2, "P1", "UK").build();
    assertEquals(a.fingerprint(), b.fingerprint());
    assertNotEquals(a.fingerprint(), c.fingerprint());
  }

  @Test
  void upToDropsLaterDaysAndKeepsEveryCustomer() {
    CustomerLog log = CustomerLog.builder().add("A", 100, 50, 2, null, null).add("B", 200, 10, 1, null, null).build();
    CustomerLog cut = log.upTo(150);
    assertEquals(2, cut.size());
    assertEquals(1, cut.records());
    assertEquals(100, cut.lastDay());
  }

  @Test
  void theCdnowMasterLogHasItsDocumentedCustomersAndTotal() {
    CustomerLog log = TestData.cdnowMaster();
    // 23,570 customers and $2,500,315.63 in the file; the 80 lines of $0 are rejected by cleaning, and with them the
    // customers who bought nothing else.
    assertEquals(2_500_315.63, log.netTotal(), 0.01);
    assertEquals(23_570, log.size(), 100);
    assertEquals("1997-01-01", log.firstDate().toString());
    assertEquals("1998-06-30", log.lastDate().toString());
  }

  @Test
  void whereFilesOverlapTheLaterFileWins(@TempDir Path dir) throws IOException {
    String header = "order_id,customer_id,order_date,product_id,quantity,unit_price\n";
    Path older = dir.resolve("older.csv");
    Files.writeString(older, header + "1,A,2024-01-01,P,1,10\n2,A,2024-01-05,P,1,10\n3,B,2024-01-06,P,1,7\n");
    Path newer = dir.resolve("newer.csv");
    Files.writeString(newer, header + "2,A,2024-01-05,P,1,10\n4,B,2024-01-08,P,1,5\n");
    TransactionFileLog.Result r =
        TransactionFileLog.read(
            List.of(
                new TransactionFileLog.Source(older, TransactionFormat.CANONICAL),
                new TransactionFileLog.Source(newer, TransactionFormat.CANONICAL)),
            TestData.rules());
    // the older file contributes only its line before 2024-01-05: 10 + (10 + 5) from the newer
    assertEquals(25, r.log().netTotal(), 1e-9);
    assertEquals(1, r.files().get(0).kept());
    assertEquals(2, r.files().get(1).kept());
  }
}
