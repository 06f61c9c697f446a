package io.valuetier.bench;

import io.valuetier.features.CustomerLog;
import io.valuetier.features.FeatureBuilder;
import io.valuetier.features.FeatureTable;
import io.valuetier.model.ModelSettings;
import io.valuetier.model.Prediction;
import io.valuetier.model.Trainer;
import io.valuetier.model.ValueModel;
import io.valuetier.util.ProcessMemory;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Times the ML plug-in on synthetic shops ({@link SyntheticShop}): training every algorithm (features of the stacked
 * snapshots, BTYD fits, validation and final models) on one shop, then features + batch scoring, and TreeSHAP reasons,
 * on a bigger one; with the JVM's peak memory.
 */
public final class ModelBenchmark {
  private ModelBenchmark() {}

  /** Synthetic shops span two years from this day. */
  static final LocalDate START = LocalDate.of(2022, 1, 1);

  static final int DAYS = 730;

  /** Runs the benchmark and returns its figures (names in snake case, times in seconds). */
  public static Map<String, Object> run(ModelSettings settings, int scoringCustomers, int trainingCustomers, long seed) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("cores", Runtime.getRuntime().availableProcessors());
    out.put("max_heap_mb", Runtime.getRuntime().maxMemory() >> 20);
    out.put("java", Runtime.version().toString());
    LocalDate cutoff = START.plusDays(DAYS - 1);

    long t0 = System.nanoTime();
    CustomerLog trainShop = SyntheticShop.generate(trainingCustomers, seed, START, DAYS, DAYS - 120);
    out.put("training_customers", trainShop.size());
    out.put("training_customer_days", trainShop.records());
    out.put("generate_training_seconds", since(t0));

    long t1 = System.nanoTime();
    Trainer.Result trained = new Trainer(settings).train(trainShop, cutoff);
    double trainSeconds = since(t1);
    out.put("train_seconds", trainSeconds);
    Map<String, Object> perAlgorithm = new LinkedHashMap<>();
    for (Trainer.Candidate c : trained.candidates()) {
      perAlgorithm.put(c.algorithm(), c.seconds());
    }
    out.put("final_fit_seconds_by_algorithm", perAlgorithm);
    out.put("training_rows", trained.trainingRows());
    out.put("training_rows_before_sampling", trained.trainingRowsBeforeSampling());
    out.put("champion", trained.champion());
    trainShop = null; // let the training shop go before the big one

    long t2 = System.nanoTime();
    CustomerLog shop = SyntheticShop.generate(scoringCustomers, seed + 1, START, DAYS, DAYS - 120);
    out.put("scoring_customers", shop.size());
    out.put("scoring_customer_days", shop.records());
    out.put("generate_scoring_seconds", since(t2));

    ValueModel gbt = trained.candidate("gbt").model();
    ValueModel champion = trained.championCandidate().model();
    int cutoffDay = (int) cutoff.toEpochDay();
    FeatureBuilder features = new FeatureBuilder(gbt.featureSpec());
    // warm-up on a slice, so that the timed pass measures compiled code
    FeatureTable warm = FeatureTable.at(shop, cutoffDay, features);
    double[] ws = new double[Math.min(50_000, warm.size())];
    double[] wp = new double[ws.length];
    gbt.predict(Arrays.copyOf(warm.matrix(), ws.length), ws, wp);
    warm = null;

    long t3 = System.nanoTime();
    FeatureTable table = FeatureTable.at(shop, cutoffDay, features);
    double featureSeconds = since(t3);
    long t4 = System.nanoTime();
    double[] spend = new double[table.size()];
    double[] prob = new double[table.size()];
    gbt.predict(table.matrix(), spend, prob);
    double predictSeconds = since(t4);
    out.put("scored_customers", table.size());
    out.put("feature_seconds", featureSeconds);
    out.put("predict_seconds_gbt", predictSeconds);
    out.put("scoring_customers_per_second_gbt", table.size() / (featureSeconds + predictSeconds));
    if (champion != gbt) {
      long t5 = System.nanoTime();
      champion.predict(table.matrix(), spend, prob);
      double s = since(t5);
      out.put("predict_seconds_champion", s);
      out.put("scoring_customers_per_second_champion", table.size() / (featureSeconds + s));
    }

    long t6 = System.nanoTime();
    int explained =
        IntStream.range(0, table.size()).parallel().map(i -> gbt.explain(table.row(i), 3).size()).sum();
    double explainSeconds = since(t6);
    out.put("explain_seconds", explainSeconds);
    out.put("explained_customers_per_second", table.size() / explainSeconds);
    out.put("reasons_written", explained);

    // one customer at a time, one thread: the latency a request sees
    int probes = Math.min(20_000, table.size());
    long t7 = System.nanoTime();
    double sink = 0;
    for (int i = 0; i < probes; i++) {
      Prediction p = gbt.predict(table.row(i));
      sink += p.spend();
    }
    out.put("single_predict_microseconds", (System.nanoTime() - t7) / 1e3 / probes);
    long t8 = System.nanoTime();
    for (int i = 0; i < probes; i++) {
      sink += gbt.explain(table.row(i), 3).size();
    }
    out.put("single_explain_microseconds", (System.nanoTime() - t8) / 1e3 / probes);
    out.put("checksum", sink);

    out.put("peak_heap_mb", peakHeapMb());
    out.put("peak_rss_mb", peakRssMb());
    return out;
  }

  private static double since(long t0) {
    return Math.round((System.nanoTime() - t0) / 1e7) / 100.0;
  }

  /** Sum of the heap pools' peak usage since the JVM started, in MiB. */
  static long peakHeapMb() {
    return ProcessMemory.peakHeap() >> 20;
  }

  /** The process's peak resident memory in MiB, or -1 where it cannot be read. */
  static long peakRssMb() {
    long r = ProcessMemory.peakResident();
    return r < 0 ? -1 : r >> 20;
  }
}
