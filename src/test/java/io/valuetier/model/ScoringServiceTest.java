package io.valuetier.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.config.Settings;
import io.valuetier.features.CustomerLog;
import io.valuetier.features.StoreHistory;
import io.valuetier.ingest.IngestService;
import io.valuetier.ingest.TransactionFormat;
import io.valuetier.store.Store;
import io.valuetier.store.Stores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** predict on a real store: the CDNOW sample and a facts file ingested through the real Camel routes into H2. */
class ScoringServiceTest {
  @TempDir static Path dir;
  static Settings settings;
  static ScoringService.Result first;
  static ScoringService.Result second;
  static Map<String, Map<String, Object>> rows = new HashMap<>();

  static Settings settingsFor(String url, Path work) {
    return TestData.settings(
        Map.of(
            "valuetier.db.url", url,
            "valuetier.model.registry-dir", work.resolve("models").toString(),
            "valuetier.deadletter.uri", "file:" + work.resolve("deadletter")));
  }

  static void ingest(Settings s, Store store) throws IOException {
    ingest(s, store, dir);
  }

  /** The CDNOW sample and two customers' facts (one known from facts only), the facts file written in {@code work}. */
  static void ingest(Settings s, Store store, Path work) throws IOException {
    Path facts = work.resolve("facts.csv");
    Files.writeString(
        facts,
        "customer_id,segment,country,marketing_consent,loyalty_member,signup_date,open_complaints,fraud_flag\n"
            + "00004,b2c,US,yes,no,1996-11-02,0,no\n"
            + "99999,b2c,US,yes,yes,1998-06-01,0,no\n");
    try (IngestService ingest = new IngestService(s, store)) {
      ingest.ingestTransactions(TestData.sample("CDNOW_sample.txt"), TransactionFormat.CDNOW);
      ingest.ingestCustomers(facts);
    }
  }

  @BeforeAll
  static void scoreTwice() throws IOException, SQLException {
    String url = "jdbc:h2:file:" + dir.resolve("db") + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;CASE_INSENSITIVE_IDENTIFIERS=TRUE";
    settings = settingsFor(url, dir);
    try (Store store = Stores.open(settings)) {
      ingest(settings, store);
      first = new ScoringService(settings, store).scoreAll(null);
      second = new ScoringService(settings, store).scoreAll(null);
      try (Connection c = store.connection();
          PreparedStatement ps = c.prepareStatement("SELECT * FROM scores");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Map<String, Object> row = new HashMap<>();
          for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
            row.put(rs.getMetaData().getColumnLabel(i).toLowerCase(java.util.Locale.ROOT), rs.getObject(i));
          }
          rows.put(rs.getString("customer_id"), row);
        }
      }
    }
  }

  @Test
  void everyCustomerGetsOneRowIncludingThoseKnownOnlyFromFacts() {
    CustomerLog sample = TestData.cdnowSample(); // customers whose only lines were $0 are rejected with them
    assertEquals(sample.size() + 1, first.customersScored());
    assertEquals(sample.size() + 1, rows.size());
    assertEquals(1, first.withoutPurchase());
    Map<String, Object> newcomer = rows.get("99999");
    assertEquals(Boolean.TRUE, newcomer.get("cold_start"));
    assertEquals(0, ((Number) newcomer.get("predicted_spend")).doubleValue());
    assertTrue(((String) newcomer.get("reason_1")).startsWith("No purchase yet"));
  }

  @Test
  void theFirstPredictTrainsAChampionAndTheSecondUsesIt() throws Exception {
    assertTrue(first.trained());
    assertFalse(second.trained());
    assertEquals(first.modelId(), second.modelId());
    try (var champions = Files.list(dir.resolve("models/stores"))) {
      assertEquals(1, champions.filter(d -> Files.isRegularFile(d.resolve("champion.json"))).count(),
          "the champion is the store's own");
    }
  }

  @Test
  void percentilesSpanZeroToHundredAndFollowThePredictedSpend() {
    double lo = Double.MAX_VALUE;
    double hi = -1;
    for (Map<String, Object> r : rows.values()) {
      double p = ((Number) r.get("value_percentile")).doubleValue();
      lo = Math.min(lo, p);
      hi = Math.max(hi, p);
    }
    assertEquals(0, lo, 0.1);
    assertEquals(100, hi, 1e-9);
    Map<String, Object> top =
        rows.values().stream()
            .max(java.util.Comparator.comparingDouble(r -> ((Number) r.get("predicted_spend")).doubleValue()))
            .orElseThrow();
    assertEquals(100, ((Number) top.get("value_percentile")).doubleValue(), 1e-9);
  }

  @Test
  void scoredCustomersCarryThreeReasonsInWordsAndTheirCodes() {
    Map<String, Object> r = rows.get("00004");
    assertNotNull(r.get("reason_1"));
    assertNotNull(r.get("reason_3"));
    assertTrue(((String) r.get("reason_1")).matches(".*\\((raises|lowers) the forecast\\)"), (String) r.get("reason_1"));
    assertEquals(3, ((String) r.get("reason_codes")).split(";").length);
    assertEquals(184, ((Number) r.get("horizon_days")).intValue());
    assertEquals(java.sql.Date.valueOf("1998-06-30"), r.get("cutoff_date"));
  }

  @Test
  void coldStartFollowsTheSettings() {
    // customer 00004 bought on 1997-01-01, 1997-01-18 and 1997-08-02: history enough
    assertEquals(Boolean.FALSE, rows.get("00004").get("cold_start"));
    long cold = rows.values().stream().filter(r -> Boolean.TRUE.equals(r.get("cold_start"))).count();
    assertEquals(first.coldStart() + first.withoutPurchase(), cold);
    assertNull(rows.get("99999").get("reason_2"));
  }

  @Test
  void mariaDbGivesTheSameHistoryAsH2() throws Exception {
    String url = io.valuetier.testing.TestStores.createMysqlDatabase("vt_ml");
    Path work = dir.resolve("maria");
    Settings maria = settingsFor(url, work);
    CustomerLog fromMaria;
    try (Store store = Stores.open(maria)) {
      ingest(maria, store);
      fromMaria = StoreHistory.read(store);
    } finally {
      io.valuetier.testing.TestStores.dropMysql(url);
    }
    CustomerLog fromH2;
    try (Store store = Stores.open(settings)) {
      fromH2 = StoreHistory.read(store);
    }
    assertEquals(fromH2.fingerprint(), fromMaria.fingerprint());
  }
}
