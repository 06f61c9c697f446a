package io.valuetier.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.config.Settings;
import io.valuetier.ingest.TransactionFormat;
import io.valuetier.model.TrainingService;
import io.valuetier.model.registry.ModelRegistry;
import io.valuetier.store.Store;
import io.valuetier.store.Stores;
import io.valuetier.testing.SampleData;
import io.valuetier.testing.TestStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code valuetier.run.retrain-policy=challenge}: the first run trains a champion on the Online Retail slice up to
 * August 2011; the second run, with the rest of the year, does not simply retrain but challenges the champion on the
 * latest holdout and keeps it unless the challenger is better by the margin.
 */
@Tag("slow")
class MainJobChallengeTest {
  @TempDir Path work;

  @Test
  void withNewDataTheMainJobChallengesTheChampionInsteadOfReplacingIt() throws Exception {
    Map<String, String> m = new HashMap<>();
    m.put("valuetier.publish.folder", work.resolve("out/actions").toString());
    m.put("valuetier.run.report", work.resolve("out/report.html").toString());
    m.put("valuetier.model.registry-dir", work.resolve("models").toString());
    m.put("valuetier.model.algorithms", "gbt,btyd");
    m.put("valuetier.run.retrain-policy", "challenge");
    Settings s = TestStores.settings(TestStores.h2Url(work), work, m);
    Path year = SampleData.onlineRetailSlice(work, 5);
    Path toAugust = work.resolve("to-august.csv");
    List<String> lines = Files.readAllLines(year);
    List<String> kept = new java.util.ArrayList<>(List.of(lines.getFirst()));
    for (String l : lines.subList(1, lines.size())) {
      String[] c = l.split(",");
      String date = c[c.length - 4];
      if (date.compareTo("2011-09-01") < 0) { // the file's dates are ISO: yyyy-MM-dd HH:mm:ss
        kept.add(l);
      }
    }
    Files.write(toAugust, kept);
    try (Store store = Stores.open(s)) {
      ModelRegistry registry = TrainingService.registry(s, store);
      MainJob.Summary first = new MainJob(s, store, MainJob.silent())
          .run(new MainJob.Options(toAugust, TransactionFormat.ONLINE_RETAIL, null, false));
      assertNull(first.retrain(), "no champion yet: the first run trains one");
      assertTrue(registry.champion().orElseThrow().calibrationEnd().isBefore(LocalDate.of(2011, 9, 1)));
      byte[] before = Files.readAllBytes(registry.championFile());

      MainJob.Summary second = new MainJob(s, store, MainJob.silent())
          .run(new MainJob.Options(year, TransactionFormat.ONLINE_RETAIL, null, false));
      assertNotNull(second.retrain(), "a champion exists and the data changed: challenged");
      var r = second.retrain();
      assertTrue(r.triggers().getFirst().startsWith("new data"), r.triggers()::toString);
      assertNotNull(r.comparison(), r::reason);
      double margin = s.doubleValue("valuetier.retrain.min-improvement", 0, 1);
      assertEquals(r.comparison().improvement() >= margin, r.promoted(), "the figures decide");
      assertEquals(registry.champion().orElseThrow().modelId(), second.champion());
      byte[] after = Files.readAllBytes(registry.championFile());
      if (r.promoted()) {
        assertFalse(java.util.Arrays.equals(before, after));
      } else {
        assertArrayEquals(before, after, "refused: champion.json untouched");
        assertTrue(second.championReused());
      }
      assertTrue(second.asMap().containsKey("retrain"));
      assertTrue(registry.log().read().stream().anyMatch(e -> e.path("event").asText().equals("compared")));
    }
  }
}
