package io.valuetier.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bad setting stops a command before it works; a small shop is told what its data lacks and what to change. */
class StartupAndSmallShopTest {
  @TempDir Path work;

  private Path homeWith(String profile, String lines) throws IOException {
    Path project = Path.of(System.getProperty("valuetier.home", ".")).toAbsolutePath().normalize();
    Path home = work.resolve("home");
    Files.createDirectories(home.resolve("config"));
    Files.copy(project.resolve("config/application.properties"), home.resolve("config/application.properties"));
    Files.writeString(home.resolve("config/application-" + profile + ".properties"), lines);
    return home;
  }

  private String db() {
    return "--db=jdbc:h2:file:" + work.resolve("db") + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;CASE_INSENSITIVE_IDENTIFIERS=TRUE";
  }

  @Test
  void aBadValueFailsAtStartNamingKeyValueAndSource() throws IOException {
    Path home = homeWith("shop", "valuetier.model.horizon-days=six months\n");
    CliRun r = CliRun.run("models", "list", "--home=" + home, "--profile=shop", db());
    assertNotEquals(0, r.exit());
    List<String> lines = r.err().lines().toList();
    assertEquals(1, lines.size(), r.err());
    assertTrue(lines.getFirst().contains("valuetier.model.horizon-days"), r.err());
    assertTrue(lines.getFirst().contains("six months"), r.err());
    assertTrue(lines.getFirst().contains("application-shop.properties"), r.err());
    assertEquals("", r.out(), "nothing ran");
  }

  @Test
  void anUnknownKeyIsWarnedOnceWithADidYouMeanAndTheCommandStillRuns() throws IOException {
    Path home = homeWith("shop", "valuetier.model.horizon-dayz=90\n");
    CliRun r = CliRun.run("models", "list", "--home=" + home, "--profile=shop", db());
    assertEquals(0, r.exit(), r.err());
    List<String> warnings = r.err().lines().filter(l -> l.startsWith("warning: ")).toList();
    assertEquals(1, warnings.size(), r.err());
    assertTrue(warnings.getFirst().contains("did you mean 'valuetier.model.horizon-days'"), r.err());
    assertTrue(warnings.getFirst().contains("application-shop.properties"), r.err());
  }

  @Test
  void aSmallShopIsToldTheRealSpanOfItsDataAndTheSettingToChange() throws IOException {
    // 10 customers over three months: 2024-01-01 to 2024-03-30
    StringBuilder csv = new StringBuilder("order_id,customer_id,order_date,product_id,description,quantity,unit_price,currency,country\n");
    LocalDate first = LocalDate.of(2024, 1, 1);
    int order = 1;
    for (int c = 1; c <= 10; c++) {
      for (int k = 0; k < 4; k++) {
        LocalDate day = first.plusDays(c == 1 && k == 0 ? 0 : c == 2 && k == 3 ? 89 : (c * 7 + k * 19) % 89);
        csv.append("O").append(order++).append(",C").append(c).append(',').append(day).append(" 10:00:00,P1,Mug,2,")
            .append(5 + c).append(".00,EUR,France\n");
      }
    }
    Path file = Files.writeString(work.resolve("small-shop.csv"), csv);
    Path project = Path.of(System.getProperty("valuetier.home", ".")).toAbsolutePath().normalize();
    CliRun r = CliRun.run("train", "--home=" + project, db(), "--transactions", file.toString(),
        "--format", "canonical");
    assertNotEquals(0, r.exit());
    List<String> lines = r.err().lines().toList();
    assertEquals(1, lines.size(), r.err());
    String line = lines.getFirst();
    assertTrue(line.contains("from 2024-01-01 to 2024-03-30, 90 days"), "the real span of the data: " + line);
    assertTrue(line.matches(".*needs at least \\d+ days.*"), "the days needed: " + line);
    assertTrue(line.matches(".*set valuetier\\.model\\.min-history-days=\\d+.*"), "the setting to change: " + line);
    assertFalse(r.err().contains("Exception"), r.err());
  }
}
