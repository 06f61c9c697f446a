package io.valuetier.cli;

import static io.valuetier.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code valuetier customers forget} and {@code purge-old} as an operator runs them. */
class CustomersCommandTest {
  @TempDir Path work;

  @Test
  void forgetSaysHowManyRowsOfWhichTablesWereDeletedAndAnIngestAfterwardsRejectsThemAsErased() throws Exception {
    Path home = Path.of(System.getProperty("valuetier.home", ".")).toAbsolutePath();
    String db = "--db=jdbc:h2:file:" + work.resolve("db");
    Path file = work.resolve("tx.csv");
    Files.write(file, List.of(
        "order_id,customer_id,order_date,product_id,description,quantity,unit_price,currency,country",
        "O1,K-77,2026-03-01 10:00:00,P1,Mug,2,4.50,EUR,Germany",
        "O2,K-77,2026-03-02 10:00:00,P2,Cup,1,3.00,EUR,Germany",
        "O3,K-78,2026-03-02 11:00:00,P2,Cup,1,3.00,EUR,Germany"));
    assertEquals(0, run("ingest", "--home=" + home, db, "--transactions", file.toString(), "--format", "canonical")
        .exit());

    CliRun forget = run("customers", "forget", "--home=" + home, db, "K-77");
    assertEquals(0, forget.exit(), forget.err());
    assertTrue(forget.out().contains("erased 1 customer(s) (1 newly marked)"), forget.out());
    assertTrue(forget.out().matches("(?s).*\\n  transactions +2\\n.*"), forget.out());
    assertTrue(forget.out().matches("(?s).*\\n  customers +1\\n.*"), forget.out());

    Files.write(file, List.of(
        "order_id,customer_id,order_date,product_id,description,quantity,unit_price,currency,country",
        "O4,K-77,2026-04-01 10:00:00,P1,Mug,2,4.50,EUR,Germany"));
    CliRun again = run("ingest", "--home=" + home, db, "--transactions", file.toString(), "--format", "canonical");
    assertEquals(0, again.exit(), again.err());
    assertTrue(again.out().contains("ERASED"), again.out());
  }

  @Test
  void purgeOldWithoutARetentionKeepsEverythingAndSaysSo() {
    Path home = Path.of(System.getProperty("valuetier.home", ".")).toAbsolutePath();
    CliRun r = run("customers", "purge-old", "--home=" + home, "--db=jdbc:h2:file:" + work.resolve("db"));
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("keep forever") && r.out().contains("nothing deleted"), r.out());
  }
}
