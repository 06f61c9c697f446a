package io.valuetier.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The synthetic Online Retail file: seeded, with returns, rows without a customer and unreadable rows. */
class OnlineRetailShopTest {
  private static String shop(int customers, long seed) throws Exception {
    StringWriter w = new StringWriter();
    OnlineRetailShop.write(w, customers, seed);
    return w.toString();
  }

  @Test
  void theSameSeedGivesTheSameFileAndAnotherSeedAnother() throws Exception {
    assertEquals(shop(500, 3), shop(500, 3));
    assertNotEquals(shop(500, 3), shop(500, 4));
  }

  @Test
  void theFileHoldsReturnsRowsWithoutCustomerAndUnreadableRowsInTheCountsItReports() throws Exception {
    StringWriter w = new StringWriter();
    OnlineRetailShop.Written n = OnlineRetailShop.write(w, 3000, 1);
    String[] lines = w.toString().split("\n");
    assertEquals("InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country", lines[0]);
    assertEquals(n.rows(), lines.length - 1);
    long returns = 0;
    long anonymous = 0;
    long bad = 0;
    for (int i = 1; i < lines.length; i++) {
      String[] f = lines[i].split(",", -1);
      assertEquals(8, f.length, lines[i]);
      if (f[0].startsWith("C")) {
        returns++;
        assertTrue(f[3].startsWith("-"), lines[i]);
      }
      if (f[6].isEmpty()) {
        anonymous++;
      }
      if (!f[3].matches("-?\\d+")) {
        bad++;
      }
    }
    assertEquals(n.returnRows(), returns);
    assertEquals(n.rowsWithoutCustomer(), anonymous);
    assertEquals(n.badRows(), bad);
    assertTrue(returns > 0 && bad > 0 && anonymous > n.rows() / 10, n.toString());
  }
}
