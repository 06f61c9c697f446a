package io.valuetier.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run --workers} on the embedded H2 database is refused at once, before any stage runs: the workers could
 * not open the database, and the coordinator would wait for them until its deadline. (The distributed run itself is
 * {@code DistributedBatchTest}.)
 */
class RunWorkersOptionTest {
  @TempDir Path work;

  @Test
  void theWorkersNeedAStoreTheyCanShare() throws Exception {
    Path transactions = work.resolve("t.csv");
    Files.writeString(transactions, "order_id,customer_id,order_date,product_id,description,quantity,unit_price,"
        + "currency,country\nA1,c1,2026-01-02 10:00:00,P1,x,1,2.50,GBP,United Kingdom\n");
    CliRun r = CliRun.run("run", "--workers", "--db=jdbc:h2:file:" + work.resolve("db")
        + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;CASE_INSENSITIVE_IDENTIFIERS=TRUE", "--transactions",
        transactions.toString(), "--format", "canonical");
    assertEquals(2, r.exit(), r.err());
    assertTrue(r.err().contains("--workers: the workers must share the store"), r.err());
    assertTrue(r.err().contains("use MySQL/MariaDB"), r.err());
    assertTrue(!r.out().contains("ingest "), "no stage ran: " + r.out());
  }
}
