package io.valuetier.model.retrain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.valuetier.config.Settings;
import io.valuetier.features.CustomerLog;
import io.valuetier.model.ModelSettings;
import io.valuetier.model.TestData;
import io.valuetier.model.TrainingService;
import io.valuetier.bench.SyntheticShop;
import io.valuetier.model.registry.ModelRegistry;
import io.valuetier.records.Finding;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retraining over two simulated periods of a small seeded synthetic shop: period 1 (600 days) trains a champion, period
 * 2 adds 300 days. The challenger is trained on period 2's data before the latest holdout and compared with the
 * champion there; the decision must follow from the figures, which the test reads back from the registry log.
 */
class RetrainTest {
  static final LocalDate START = LocalDate.of(2020, 1, 1);
  static final int HOLDOUT = 120;
  static final double MARGIN = 0.01;

  static CustomerLog shop;
  static CustomerLog period1;

  @BeforeAll
  static void shop() {
    shop = SyntheticShop.generate(3_000, 21, START, 900, 700);
    period1 = shop.upTo((int) START.plusDays(599).toEpochDay());
  }

  static ModelSettings settings(String algorithms) {
    Settings s = TestData.settings(Map.of(
        "valuetier.model.algorithms", algorithms,
        "valuetier.model.horizon-days", "120",
        "valuetier.model.gbt.trees", "40"));
    return ModelSettings.from(s);
  }

  static ModelRegistry registry(Path dir) {
    return new ModelRegistry(dir.resolve("models"), TestData.home());
  }

  static RetrainService retrain(String challengerAlgorithms, ModelRegistry registry) {
    return new RetrainService(settings(challengerAlgorithms), registry,
        new RetrainService.Policy(HOLDOUT, MARGIN, true));
  }

  static List<String> events(ModelRegistry r) {
    return r.log().read().stream().map(e -> e.path("event").asText()).toList();
  }

  private static void assertLoggedFigures(ModelRegistry r, RetrainService.RetrainResult o) {
    JsonNode compared = r.log().read().stream().filter(e -> e.path("event").asText().equals("compared"))
        .reduce((a, b) -> b).orElseThrow();
    assertEquals(o.comparison().championScore(), compared.path("champion_score").asDouble(), 1e-12);
    assertEquals(o.comparison().challengerScore(), compared.path("challenger_score").asDouble(), 1e-12);
    assertEquals(o.comparison().champion().normalizedGini(),
        compared.path("champion_metrics").path("normalized_gini").asDouble(), 1e-12);
    assertEquals(MARGIN, compared.path("min_improvement").asDouble());
    assertEquals(shop.lastDate().minusDays(HOLDOUT).plusDays(1) + ".." + shop.lastDate(),
        compared.path("holdout").asText());
    assertEquals(0, compared.path("champion_saw_holdout_days").asInt(), "period 1 ends before the holdout");
    // the decision is the one the figures call for
    assertEquals(o.comparison().improvement() >= MARGIN, o.promoted());
  }

  @Test
  void aBetterChallengerIsPromotedAndTrainedAgainOnAllData(@TempDir Path dir) throws Exception {
    ModelRegistry registry = registry(dir);
    // period 1: a deliberately weak champion (the naive spend-rate model only)
    String weak = new TrainingService(settings("naive"), registry).train(period1, "period 1", null, false).champion();
    assertEquals("naive-v1", weak);

    RetrainService.RetrainResult o = retrain("gbt,btyd", registry).retrain(shop, "period 2", List.of(), false);

    assertEquals("PROMOTED", o.decision(), o::reason);
    assertTrue(o.triggers().get(0).startsWith("new data"), o.triggers()::toString);
    assertTrue(o.comparison().improvement() >= MARGIN, () -> "improvement " + o.comparison().improvement());
    assertTrue(o.comparison().challenger().normalizedGini() > o.comparison().champion().normalizedGini()
        || o.comparison().challenger().spearman() > o.comparison().champion().spearman());
    assertLoggedFigures(registry, o);
    ModelRegistry.Champion now = registry.champion().orElseThrow();
    assertEquals(o.championAfter(), now.modelId());
    assertNotEquals(weak, now.modelId());
    assertEquals(shop.lastDate(), now.calibrationEnd(), "promoted as trained again on all data");
    assertEquals(shop.fingerprint(), now.dataFingerprint());
    assertEquals(List.of("trained", "retrain_triggered", "challenger_trained", "compared", "trained", "promoted"),
        events(registry));

    // the same data again, no warning: nothing to do
    RetrainService.RetrainResult again = retrain("gbt,btyd", registry).retrain(shop, "period 2", List.of(), false);
    assertEquals("NO_TRIGGER", again.decision());
    assertNull(again.comparison());
    assertEquals(now.modelId(), registry.champion().orElseThrow().modelId());
    assertEquals("retrain_not_needed", events(registry).getLast());
  }

  @Test
  void aWorseChallengerIsRefusedAndTheChampionStays(@TempDir Path dir) throws Exception {
    ModelRegistry registry = registry(dir);
    String strong =
        new TrainingService(settings("gbt,btyd"), registry).train(period1, "period 1", null, false).champion();
    Path championFile = registry.dir().resolve(ModelRegistry.CHAMPION_FILE);
    byte[] before = Files.readAllBytes(championFile);

    // a deliberately handicapped challenger: the naive spend-rate model only
    RetrainService.RetrainResult o = retrain("naive", registry).retrain(shop, "period 2", List.of(), false);

    assertEquals("REFUSED", o.decision(), o::reason);
    assertTrue(o.comparison().improvement() < MARGIN, () -> "improvement " + o.comparison().improvement());
    assertEquals("naive", o.comparison().challengerAlgorithm());
    assertLoggedFigures(registry, o);
    assertEquals(strong, o.championAfter());
    assertArrayEquals(before, Files.readAllBytes(championFile), "champion.json untouched");
    assertFalse(Files.exists(registry.dir().resolve("naive")), "a refused challenger is not registered");
    JsonNode refused = registry.log().read().getLast();
    assertEquals("refused", refused.path("event").asText());
    assertTrue(refused.path("reason").asText().contains("valuetier.retrain.min-improvement"), refused::toString);
    assertEquals(List.of("trained", "retrain_triggered", "challenger_trained", "compared", "refused"),
        events(registry));

    // asked again on the same data: the refusal stands without training again, unless forced
    RetrainService.RetrainResult again = retrain("naive", registry).retrain(shop, "period 2", List.of(), false);
    assertEquals("ALREADY_REFUSED", again.decision());
    assertTrue(again.reason().contains("already compared"), again::reason);
    assertEquals("retrain_not_needed", events(registry).getLast());
    RetrainService.RetrainResult forced = retrain("naive", registry).retrain(shop, "period 2", List.of(), true);
    assertEquals("REFUSED", forced.decision());
    assertEquals(o.comparison().challengerScore(), forced.comparison().challengerScore(), 1e-12, "seeded: same figures");
    assertArrayEquals(before, Files.readAllBytes(championFile));
  }

  @Test
  void monitoringWarningsTriggerAChallengerOnUnchangedData(@TempDir Path dir) {
    ModelRegistry registry = registry(dir);
    new TrainingService(settings("btyd"), registry).train(shop, "all", null, false);
    Finding drift = new Finding(Finding.WARN, "drift", "tenure_days", 0.4, 0.25, "valuetier.monitor.psi.warn",
        "tenure_days has shifted");
    Finding decisions = new Finding(Finding.WARN, "decisions", "tier_mix", 0.4, 0.25,
        "valuetier.monitor.decisions.tier-psi-warn", "the tier mix shifted");
    assertEquals("NO_TRIGGER",
        retrain("btyd", registry).retrain(shop, "all", List.of(decisions), false).decision(),
        "decision shifts are the rules' business, not the model's");
    RetrainService.RetrainResult o = retrain("btyd", registry).retrain(shop, "all", List.of(drift), false);
    assertEquals(List.of("monitoring: tenure_days has shifted"), o.triggers());
    assertTrue(o.comparison().championSawHoldoutDays() > 0, "the champion was trained on all data, holdout included");
    assertEquals(o.comparison().improvement() >= MARGIN, o.promoted());
  }
}
