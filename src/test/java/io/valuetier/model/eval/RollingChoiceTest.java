package io.valuetier.model.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.valuetier.bench.SyntheticShop;
import io.valuetier.config.Settings;
import io.valuetier.features.CustomerLog;
import io.valuetier.model.ModelSettings;
import io.valuetier.model.TestData;
import io.valuetier.model.TrainingService;
import io.valuetier.model.registry.ModelRegistry;
import io.valuetier.util.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The champion chosen on a rolling backtest: the best mean among the algorithms whose worst cutoff is close to the best
 * worst cutoff, gbt on a tie; kept in the registry by {@code evaluate --rolling --record}, and used by the next
 * training whose data ends close enough, which says so in its notices (the model cards' training notices).
 */
class RollingChoiceTest {
  @TempDir Path dir;

  /** Metrics whose champion score ((Gini + Spearman) / 2) is {@code score}. */
  private static ModelMetrics scored(double score) {
    return new ModelMetrics(100, score, score, 0.5, 2, 1, 1, 100, 100, 0, 0.1, 0.7, 0.2);
  }

  /** A report with one row of scores per algorithm, one score per cutoff. */
  private static RollingBacktest.Report report(Map<String, double[]> scores) {
    int n = scores.values().iterator().next().length;
    List<RollingBacktest.Cutoff> cutoffs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      LocalDate day = LocalDate.of(2011, 1, 31).plusMonths(i);
      List<RollingBacktest.Entry> models = new ArrayList<>();
      for (Map.Entry<String, double[]> e : scores.entrySet()) {
        models.add(new RollingBacktest.Entry(e.getKey(), e.getKey(), scored(e.getValue()[i]), Double.NaN));
      }
      models.add(new RollingBacktest.Entry("champion", "gbt", scored(0), Double.NaN));
      cutoffs.add(new RollingBacktest.Cutoff(day, day.plusDays(184), models, 1));
    }
    return new RollingBacktest.Report(new RollingBacktest.Plan(cutoffs.stream().map(RollingBacktest.Cutoff::cutoff)
        .toList(), 365, false), 184, 1, 100, cutoffs, List.of(), 1);
  }

  @Test
  void theBestMeanWinsAmongThoseWhoseWorstCutoffHolds() {
    // mlp has the best mean but one bad cutoff; btyd is steady and beats gbt on the mean
    RollingChoice c = RollingChoice.of(report(Map.of(
        "mlp", new double[] {0.80, 0.80, 0.50},
        "btyd", new double[] {0.66, 0.66, 0.66},
        "gbt", new double[] {0.64, 0.64, 0.63})), LocalDate.of(2011, 12, 9), 0.005, 0.02);
    assertEquals("btyd", c.algorithm());
    assertEquals(0.70, c.scores().get("mlp").mean(), 1e-9);
    assertEquals(0.50, c.scores().get("mlp").worst(), 1e-9);
    assertEquals(LocalDate.of(2011, 3, 31), c.scores().get("mlp").worstCutoff());
    // with a guard wide enough for mlp's bad cutoff, its mean wins
    assertEquals("mlp", RollingChoice.of(report(Map.of(
        "mlp", new double[] {0.80, 0.80, 0.50},
        "btyd", new double[] {0.66, 0.66, 0.66})), LocalDate.of(2011, 12, 9), 0.005, 0.2).algorithm());
  }

  @Test
  void aBaselineIsReportedButNeverChosenAndTheGuardIsAmongTheCandidates() {
    // mlp has the best mean and the best worst cutoff, but it is not a candidate: btyd's worst cutoff is measured
    // against gbt's (the best worst among candidates), not against mlp's
    RollingChoice c = RollingChoice.of(report(Map.of(
        "mlp", new double[] {0.90, 0.90, 0.90},
        "btyd", new double[] {0.70, 0.70, 0.55},
        "gbt", new double[] {0.64, 0.64, 0.63})), LocalDate.of(2011, 12, 9), 0.005, 0.02,
        List.of("gbt", "btyd", "naive"));
    assertEquals("gbt", c.algorithm());
    assertEquals(0.90, c.scores().get("mlp").mean(), 1e-9);
    assertTrue(c.rule().contains("[btyd, gbt]") || c.rule().contains("[gbt, btyd]"), c.rule());
    assertEquals("mlp", RollingChoice.of(report(Map.of(
        "mlp", new double[] {0.90, 0.90, 0.90},
        "gbt", new double[] {0.64, 0.64, 0.63})), LocalDate.of(2011, 12, 9), 0.005, 0.02).algorithm());
  }

  @Test
  void gbtWinsATieWithinTheTolerance() {
    assertEquals("gbt", RollingChoice.of(report(Map.of(
        "btyd", new double[] {0.660, 0.660},
        "gbt", new double[] {0.658, 0.658})), LocalDate.of(2011, 12, 9), 0.005, 0.02).algorithm());
    assertEquals("btyd", RollingChoice.of(report(Map.of(
        "btyd", new double[] {0.660, 0.660},
        "gbt", new double[] {0.650, 0.650})), LocalDate.of(2011, 12, 9), 0.005, 0.02).algorithm());
  }

  @Test
  void keptInTheRegistryAndReadBack() throws Exception {
    RollingChoice c = RollingChoice.of(report(Map.of(
        "naive", new double[] {0.7, 0.6}, "btyd", new double[] {0.5, 0.5})), LocalDate.of(2021, 6, 1), 0.005, 0.2);
    Path file = c.write(dir);
    RollingChoice back = RollingChoice.read(dir).orElseThrow();
    assertEquals(c.algorithm(), back.algorithm());
    assertEquals(c.scores(), back.scores());
    assertEquals(c.dataEnd(), back.dataEnd());
    assertTrue(back.reaches(LocalDate.of(2021, 8, 31), 92) && !back.reaches(LocalDate.of(2021, 9, 2), 92));
    Files.writeString(file, "{\"algorithm\":\"gbt\"}");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> RollingChoice.read(dir));
    assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("--record"), e.getMessage());
  }

  @Test
  void theNextTrainingTakesTheRecordedChampionAndSaysSo() throws Exception {
    CustomerLog shop = SyntheticShop.generate(1_500, 21, LocalDate.of(2020, 1, 1), 700, 600);
    Settings s = TestData.settings(Map.of("valuetier.model.algorithms", "btyd,naive",
        "valuetier.model.horizon-days", "120"));
    ModelRegistry registry = new ModelRegistry(dir.resolve("models"), TestData.home());
    TrainingService training = new TrainingService(ModelSettings.from(s), registry, 92);
    String byWindow = training.train(shop, "shop", null, true).result().champion();
    String other = byWindow.equals("btyd") ? "naive" : "btyd";

    // a recorded rolling choice of the other algorithm, on data ending 30 days before this training's end
    RollingChoice.of(report(Map.of(other, new double[] {0.7, 0.7}, byWindow, new double[] {0.6, 0.6})),
        shop.lastDate().minusDays(30), 0.005, 0.02).write(registry.dir());
    TrainingService.TrainingResult t = training.train(shop, "shop", null, true);
    assertEquals(other, t.result().champion());
    assertTrue(t.champion().startsWith(other + "-v"), t.champion());
    String notice = t.result().notices().getLast();
    assertTrue(notice.contains("chosen on the rolling backtest") && notice.contains("validation window alone would"
        + " have chosen " + byWindow), notice);
    ModelRegistry.Entry chosen = t.registered().stream().filter(e -> e.algorithm().equals(other)).findFirst()
        .orElseThrow();
    JsonNode card = Json.MAPPER.readTree(Files.readString(chosen.folder().resolve("card.json")));
    assertTrue(card.path("champion_when_trained").asBoolean(), card::toString);
    assertTrue(card.path("training_notices").toString().contains(other + " mean 0.700"), card::toString);

    // too far from the backtest's data: the validation window chooses again, and says why
    TrainingService strict = new TrainingService(ModelSettings.from(s), registry, 10);
    TrainingService.TrainingResult far = strict.train(shop, "shop", null, true);
    assertEquals(byWindow, far.result().champion());
    assertTrue(far.result().notices().getLast().contains("more than valuetier.model.rolling-choice.max-days (10)"),
        far.result().notices()::toString);
  }
}
