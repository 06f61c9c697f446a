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

  @Test
  void linesWithKeysInAnyOrderGiveTheLogOfTheSameLinesAddedInKeyOrder() {
    // the store is read in arrival order: the log must be the one of the lines in key order, bit for bit (sums of a
    // day in the same order, customers in the order of their first line, the country of the last line)
    java.util.SplittableRandom r = new java.util.SplittableRandom(11);
    int n = 3000;
    long[] keys = new long[n];
    String[] customer = new String[n];
    int[] day = new int[n];
    double[] amount = new double[n];
    String[] country = new String[n];
    java.util.TreeMap<Long, Integer> byKey = new java.util.TreeMap<>();
    for (int i = 0; i < n; i++) {
      day[i] = 15_000 + r.nextInt(10);
      keys[i] = ((long) day[i] * 1440 + r.nextInt(1440)) << 37 | r.nextLong(1L << 37);
      customer[i] = "C" + r.nextInt(20);
      amount[i] = r.nextInt(10) == 0 ? -0.3 : 0.1 * (1 + r.nextInt(7)) + 1e-9 * r.nextInt(1000);
      country[i] = r.nextInt(3) == 0 ? null : List.of("UK", "FR", "DE").get(r.nextInt(3));
      byKey.put(keys[i], i);
    }
    CustomerLog.Builder inKeyOrder = CustomerLog.builder();
    for (int i : byKey.values()) {
      inKeyOrder.add(customer[i], day[i], amount[i], 1, "P" + (i % 50), country[i]);
    }
    List<Integer> shuffled = new java.util.ArrayList<>(byKey.values());
    java.util.Collections.shuffle(shuffled, new java.util.Random(3));
    CustomerLog.Builder anyOrder = CustomerLog.builder();
    for (int i : shuffled) {
      anyOrder.add(keys[i], customer[i], day[i], amount[i], 1, "P" + (i % 50), country[i]);
    }
    // customers known from their facts alone, enough of them to grow the builder's arrays past their first size
    for (int k = 0; k < 2000; k++) {
      anyOrder.facts(new io.valuetier.records.CustomerFacts("ONLY-FACTS-" + k, null, null, null, null, null, null, null));
      inKeyOrder.facts(
          new io.valuetier.records.CustomerFacts("ONLY-FACTS-" + k, null, null, null, null, null, null, null));
    }
    CustomerLog a = inKeyOrder.build();
    CustomerLog b = anyOrder.build();
    assertEquals(a.size(), b.size());
    assertEquals(a.records(), b.records());
    for (int c = 0; c < a.size(); c++) {
      assertEquals(a.id(c), b.id(c), "customer " + c);
      assertEquals(a.country(c), b.country(c), a.id(c));
    }
    for (int k = 0; k < a.records(); k++) {
      assertEquals(Double.doubleToLongBits(a.gross(k)), Double.doubleToLongBits(b.gross(k)), "record " + k);
      assertEquals(Double.doubleToLongBits(a.returned(k)), Double.doubleToLongBits(b.returned(k)), "record " + k);
    }
    assertEquals("ONLY-FACTS-1999", b.id(b.size() - 1));
    assertEquals(a.fingerprint(), b.fingerprint());
  }
}
