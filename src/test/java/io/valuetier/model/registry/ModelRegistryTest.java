package io.valuetier.model.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.features.CustomerLog;
import io.valuetier.features.FeatureBuilder;
import io.valuetier.features.FeatureTable;
import io.valuetier.model.ModelSettings;
import io.valuetier.model.Prediction;
import io.valuetier.model.TestData;
import io.valuetier.model.Trainer;
import io.valuetier.model.ValueModel;
import io.valuetier.util.Json;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelRegistryTest {
  static Trainer.Result training;
  static FeatureTable table;
  static ModelRegistry.DataInfo data;

  @BeforeAll
  static void train() {
    training = TestData.sampleTraining();
    CustomerLog log = TestData.cdnowSample().upTo((int) TestData.SAMPLE_CUTOFF.toEpochDay());
    table = FeatureTable.at(log, (int) TestData.SAMPLE_CUTOFF.toEpochDay(), new FeatureBuilder(training.spec()));
    data =
        new ModelRegistry.DataInfo(log.fingerprint(), "CDNOW_sample.txt", log.size(), log.records(), log.firstDate(),
            log.lastDate());
  }

  static List<ModelRegistry.Entry> registerAll(Path dir) {
    return new ModelRegistry(dir, TestData.home())
        .registerAll(training, ModelSettings.from(TestData.settings()), data, table);
  }

  @Test
  void everySavedModelReloadsAndPredictsExactlyAsBefore(@TempDir Path dir) {
    List<ModelRegistry.Entry> entries = registerAll(dir);
    ModelRegistry registry = new ModelRegistry(dir, TestData.home());
    for (int k = 0; k < entries.size(); k++) {
      ValueModel before = training.candidates().get(k).model();
      ValueModel after = registry.load(entries.get(k).algorithm(), entries.get(k).version()).model();
      for (int i = 0; i < table.size(); i += 13) {
        Prediction a = before.predict(table.row(i));
        Prediction b = after.predict(table.row(i));
        assertEquals(a.spend(), b.spend(), 0, entries.get(k).modelId() + " row " + i);
        assertEquals(a.probability(), b.probability(), 0, entries.get(k).modelId() + " row " + i);
      }
    }
  }

  @Test
  void versionsGrowAndTheChampionRecordsItsDataAndSettings(@TempDir Path dir) {
    registerAll(dir);
    List<ModelRegistry.Entry> second = registerAll(dir);
    assertTrue(second.stream().allMatch(e -> e.version() == 2));
    ModelRegistry.Champion c = new ModelRegistry(dir, TestData.home()).champion().orElseThrow();
    assertEquals(training.champion(), c.algorithm());
    assertEquals(2, c.version());
    assertTrue(
        c.matches(data.fingerprint(), ModelSettings.from(TestData.settings()).fingerprint(), TestData.SAMPLE_CUTOFF,
            training.horizonDays()));
  }

  @Test
  void theModelCardCarriesProvenance(@TempDir Path dir) throws IOException {
    ModelRegistry.Entry e = registerAll(dir).getFirst();
    Map<?, ?> card = Json.MAPPER.readValue(e.folder().resolve("card.json").toFile(), Map.class);
    for (String key :
        List.of("algorithm", "settings", "seed", "feature_schema", "training_windows", "data", "metrics",
            "smile_version", "java_version", "git_commit", "trained_at")) {
      assertTrue(card.containsKey(key), "card has no " + key);
    }
    assertEquals("6.3.0", card.get("smile_version"));
    assertEquals(data.fingerprint(), ((Map<?, ?>) card.get("data")).get("fingerprint"));
  }

  @Test
  void theModelCardSaysHowManyRowsTrainedTheModelAndHowTheyWereSampled(@TempDir Path dir) throws IOException {
    ModelSettings settings = ModelSettings.from(TestData.settings());
    ModelRegistry.Entry e = registerAll(dir).getFirst();
    Map<?, ?> card = Json.MAPPER.readValue(e.folder().resolve("card.json").toFile(), Map.class);
    Map<?, ?> sampling = (Map<?, ?>) card.get("sampling");
    assertEquals(training.trainingRows(), sampling.get("training_rows"));
    assertEquals(training.trainingRowsBeforeSampling(), sampling.get("training_rows_before_sampling"));
    assertEquals(settings.maxTrainingRows(), sampling.get("max_training_rows"));
    assertEquals(settings.seed(), ((Number) sampling.get("seed")).longValue());
    assertEquals(training.scoredAtCutoff(), sampling.get("customers_at_calibration_end"));

    // At a million customers: 30,000 of 1,492,221 stacked rows, said with the method.
    Trainer.Result large = new Trainer.Result(training.spec(), training.calibrationEnd(), training.horizonDays(),
        training.validationCutoff(), training.validationDays(), training.validationPlan(), training.trainingPlan(),
        30_000, 1_492_221, 916_324, training.candidates(), training.champion(), training.notices());
    Map<String, Object> s = ModelCards.sampling(large, settings);
    assertEquals(30_000, s.get("training_rows"));
    assertEquals(1_492_221, s.get("training_rows_before_sampling"));
    assertTrue(((String) s.get("training_rows_method")).startsWith("seeded uniform sample without replacement"),
        s.toString());
    assertEquals(settings.btydMaxCustomers(), s.get("btyd_customers"));
    assertTrue(((String) s.get("btyd_customers_method")).startsWith("seeded uniform sample"), s.toString());
  }

  @Test
  void aModelFileChangedAfterSavingIsRefused(@TempDir Path dir) throws IOException {
    ModelRegistry.Entry e = registerAll(dir).getFirst();
    Path file = e.folder().resolve("model.ser");
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 3] ^= 1;
    Files.write(file, bytes);
    RegistryException ex =
        assertThrows(RegistryException.class, () -> new ModelRegistry(dir, TestData.home()).load(e.algorithm(), e.version()));
    assertTrue(ex.getMessage().contains("changed after it was saved"), ex.getMessage());
  }

  @Test
  void aClassOutsideTheAllowListIsRefusedEvenWithAMatchingChecksum(@TempDir Path dir) throws IOException {
    ModelRegistry.Entry e = registerAll(dir).getFirst();
    Path file = e.folder().resolve("model.ser");
    Map<String, Object> planted = new HashMap<>();
    planted.put("payload", new java.io.File("/etc/passwd")); // stands for any gadget class
    try (OutputStream out = Files.newOutputStream(file);
        ObjectOutputStream oos = new ObjectOutputStream(out)) {
      oos.writeObject(planted);
    }
    Path card = e.folder().resolve("card.json");
    Files.writeString(
        card,
        Files.readString(card).replaceAll("\"model_sha256\" : \"[0-9a-f]+\"", "\"model_sha256\" : \"" + Provenance.sha256(file) + "\""));
    RegistryException ex =
        assertThrows(RegistryException.class, () -> new ModelRegistry(dir, TestData.home()).load(e.algorithm(), e.version()));
    assertTrue(ex.getMessage().contains("refusing to load") && ex.getMessage().contains("REJECTED"), ex.getMessage());
  }

  @Test
  void theFilterRefusesAnUnknownClassBeforeReadingIt() throws IOException {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (ObjectOutputStream oos = new ObjectOutputStream(bytes)) {
      oos.writeObject(new java.net.InetSocketAddress("localhost", 1));
    }
    assertThrows(
        InvalidClassException.class,
        () -> SafeModelInput.read(new java.io.ByteArrayInputStream(bytes.toByteArray()), ValueModel.class, "test"));
  }

  @Test
  void aModelThatNoLongerMakesItsGoldenPredictionsIsRefused(@TempDir Path dir) throws IOException {
    ModelRegistry.Entry e = registerAll(dir).getFirst();
    Path golden = e.folder().resolve("golden.json");
    var tree = (com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.readTree(golden.toFile());
    var row = (com.fasterxml.jackson.databind.node.ObjectNode) tree.path("rows").get(0);
    row.put("spend", row.path("spend").asDouble() + 1);
    Files.writeString(golden, Json.pretty(tree));
    RegistryException ex =
        assertThrows(RegistryException.class, () -> new ModelRegistry(dir, TestData.home()).load(e.algorithm(), e.version()));
    assertTrue(ex.getMessage().contains("golden row 0"), ex.getMessage());
  }
}
