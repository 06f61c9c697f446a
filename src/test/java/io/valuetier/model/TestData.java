package io.valuetier.model;

import io.valuetier.clean.CleaningRules;
import io.valuetier.config.Settings;
import io.valuetier.features.CustomerLog;
import io.valuetier.features.TransactionFileLog;
import io.valuetier.ingest.TransactionFormat;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;

/** The bundled data sets and a small model trained once per test JVM. */
public final class TestData {
  private TestData() {}

  public static Path home() {
    return Path.of(System.getProperty("valuetier.home", ".")).toAbsolutePath();
  }

  public static Path sample(String name) {
    return home().resolve("data/sample").resolve(name);
  }

  /** The project's settings (config/application.properties), environment ignored, with overrides. */
  public static Settings settings(Map<String, String> overrides) {
    return Settings.load(home(), null, Map.of(), overrides);
  }

  public static Settings settings() {
    return settings(Map.of());
  }

  public static CleaningRules rules() {
    return CleaningRules.from(settings(), LocalDateTime.of(2030, 1, 1, 0, 0));
  }

  public static CustomerLog read(List<TransactionFileLog.Source> sources) {
    return TransactionFileLog.read(sources, rules()).log();
  }

  /** CDNOW's 1/10 sample: 2,357 customers, 1997-01-01..1998-06-30. */
  public static CustomerLog cdnowSample() {
    return read(List.of(new TransactionFileLog.Source(sample("CDNOW_sample.txt"), TransactionFormat.CDNOW)));
  }

  public static CustomerLog cdnowMaster() {
    return read(List.of(new TransactionFileLog.Source(sample("CDNOW_master.txt"), TransactionFormat.CDNOW)));
  }

  /** The two-year Online Retail log: Online Retail II before 2010-12-01, then Online Retail. */
  public static CustomerLog onlineRetailTwoYears() {
    return read(
        List.of(
            new TransactionFileLog.Source(sample("online_retail_II_2009-2010.csv.gz"), TransactionFormat.ONLINE_RETAIL_II),
            new TransactionFileLog.Source(sample("online_retail.csv.gz"), TransactionFormat.ONLINE_RETAIL)));
  }

  public static final LocalDate SAMPLE_CUTOFF = LocalDate.of(1997, 9, 30);

  private static Trainer.Result sampleTraining;

  /** Every algorithm trained on the CDNOW sample up to 1997-09-30 with the project's settings (cached). */
  public static synchronized Trainer.Result sampleTraining() {
    if (sampleTraining == null) {
      sampleTraining = new Trainer(ModelSettings.from(settings())).train(cdnowSample(), SAMPLE_CUTOFF);
    }
    return sampleTraining;
  }
}
