package io.valuetier.model.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.valuetier.features.FeatureTable;
import io.valuetier.model.ModelSettings;
import io.valuetier.model.Trainer;
import io.valuetier.model.ValueModel;
import io.valuetier.util.Json;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The model registry: {@code DIR/ALGORITHM/vN/} holds {@code model.ser} (the Java-serialized {@link ValueModel}),
 * {@code card.json} (the model card) and {@code golden.json} (feature vectors and the predictions the model made on
 * them when saved); {@code DIR/champion.json} names the champion and what it was trained on. Versions only grow; a
 * folder is written completely before it gets its final name.
 *
 * <p>A registry {@link #forStore for a store} keeps that store's champion in {@code DIR/stores/SHORT/champion.json}
 * and writes the store into the cards it registers: model versions are shared (each is immutable and its card says
 * which store it was trained on), champions are not, so that switching databases does not retrain each time. Until a
 * store has a champion of its own, it uses a {@code DIR/champion.json} that no store wrote (one trained from files).
 *
 * <p>This class registers models and keeps the champion; {@link ModelCards} writes and lists the cards,
 * {@link ModelLoader} loads a model with its checks and {@link GoldenCheck} saves and checks the golden set.
 */
public final class ModelRegistry {
  /** The file that names the champion. */
  public static final String CHAMPION_FILE = "champion.json";

  private static final Pattern VERSION = Pattern.compile("v(\\d+)");

  private final Path dir;
  private final Path home;
  /** The store whose champion this registry keeps, or null for the registry's own champion.json. */
  private final String storeId;

  /**
   * @param dir the registry folder ({@code valuetier.model.registry-dir})
   * @param home the installation, for the git commit in model cards
   */
  public ModelRegistry(Path dir, Path home) {
    this(dir, home, null);
  }

  private ModelRegistry(Path dir, Path home, String storeId) {
    this.dir = dir;
    this.home = home;
    this.storeId = storeId;
  }

  /** The same registry with the champion of the store {@code storeId} (a UUID). */
  public ModelRegistry forStore(String storeId) {
    return new ModelRegistry(dir, home, Objects.requireNonNull(storeId, "storeId"));
  }

  /** The store whose champion this registry keeps, if any. */
  public Optional<String> storeId() {
    return Optional.ofNullable(storeId);
  }

  /** The file that names this registry's champion. */
  public Path championFile() {
    return storeId == null ? dir.resolve(CHAMPION_FILE)
        : dir.resolve("stores").resolve(storeId.substring(0, 8)).resolve(CHAMPION_FILE);
  }

  public Path dir() {
    return dir;
  }

  /** The registry's append-only log ({@code log/registry-log.jsonl}). */
  public RegistryLog log() {
    return new RegistryLog(dir);
  }

  /** The folder of {@code ALGORITHM/vN}. */
  public Path folder(String algorithm, int version) {
    return dir.resolve(algorithm).resolve("v" + version);
  }

  /**
   * The data a model was trained on.
   *
   * @param fingerprint the customer log's content hash
   * @param source where it was read (a database URL without password, or file names)
   * @param customers customers in the log
   * @param records customer-day records in the log
   * @param first first day of data
   * @param last last day of data
   */
  public record DataInfo(String fingerprint, String source, int customers, int records, LocalDate first, LocalDate last) {}

  /**
   * A model in the registry.
   *
   * @param modelId {@code ALGORITHM-vN}
   * @param algorithm the algorithm
   * @param version N
   * @param folder its folder
   */
  public record Entry(String modelId, String algorithm, int version, Path folder) {}

  /**
   * What {@code champion.json} says.
   *
   * @param modelId the champion's id
   * @param algorithm its algorithm
   * @param version its version
   * @param dataFingerprint the data it was trained on
   * @param settingsFingerprint the settings it was trained with
   * @param calibrationEnd the last day of data it saw
   * @param horizonDays its horizon
   * @param chosenAt when it was chosen
   * @param explainerAlgorithm the algorithm of the model that gives the reasons
   * @param explainerVersion its version
   * @param storeId the store it was chosen for (null: trained from files, or before champions were kept per store)
   */
  public record Champion(
      String modelId,
      String algorithm,
      int version,
      String dataFingerprint,
      String settingsFingerprint,
      LocalDate calibrationEnd,
      int horizonDays,
      Instant chosenAt,
      String explainerAlgorithm,
      int explainerVersion,
      String storeId) {

    /** Whether this champion was trained on the same data with the same settings and cutoff. */
    public boolean matches(String data, String settings, LocalDate cutoff, int horizon) {
      return dataFingerprint.equals(data) && settingsFingerprint.equals(settings) && calibrationEnd.equals(cutoff)
          && horizonDays == horizon;
    }
  }

  /** A loaded model with its card. */
  public record Loaded(Entry entry, ValueModel model, JsonNode card) {}

  /** Registers every candidate of a training and records the champion; returns the entries in candidate order. */
  public List<Entry> registerAll(Trainer.Result result, ModelSettings settings, DataInfo data, FeatureTable golden) {
    List<Entry> entries = new ArrayList<>();
    Entry champion = null;
    for (Trainer.Candidate c : result.candidates()) {
      Entry e = register(c, result, settings, data, golden);
      entries.add(e);
      if (c.algorithm().equals(result.champion())) {
        champion = e;
      }
    }
    if (champion == null) {
      throw new IllegalStateException("the champion " + result.champion() + " is not among the candidates");
    }
    Entry explainer = champion;
    if (!result.candidate(champion.algorithm()).model().explains()) {
      for (int i = 0; i < entries.size(); i++) {
        if (result.candidates().get(i).model().explains()) {
          explainer = entries.get(i);
          break;
        }
      }
    }
    recordChampion(champion, explainer, result, settings, data);
    return entries;
  }

  /** Saves one trained model in a new version folder. */
  public Entry register(
      Trainer.Candidate c, Trainer.Result result, ModelSettings settings, DataInfo data, FeatureTable golden) {
    try {
      Path algorithmDir = dir.resolve(c.algorithm());
      Files.createDirectories(algorithmDir);
      int version = nextVersion(algorithmDir);
      Path tmp = Files.createTempDirectory(algorithmDir, ".incoming-");
      Path modelFile = tmp.resolve("model.ser");
      try (OutputStream out = Files.newOutputStream(modelFile);
          ObjectOutputStream oos = new ObjectOutputStream(out)) {
        oos.writeObject(c.model());
      }
      String modelId = c.algorithm() + "-v" + version;
      Files.writeString(tmp.resolve("golden.json"), Json.pretty(GoldenCheck.goldenSet(c.model(), golden)));
      Map<String, Object> card =
          ModelCards.card(modelId, version, c, result, settings, data, Provenance.sha256(modelFile), storeId, home);
      Files.writeString(tmp.resolve("card.json"), Json.pretty(card));
      Path folder = algorithmDir.resolve("v" + version);
      move(tmp, folder);
      return new Entry(modelId, c.algorithm(), version, folder);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save the " + c.algorithm() + " model in " + dir + ": " + e.getMessage(), e);
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to);
    }
  }

  private static int nextVersion(Path algorithmDir) throws IOException {
    int max = 0;
    try (Stream<Path> s = Files.list(algorithmDir)) {
      for (Path p : s.toList()) {
        Matcher m = VERSION.matcher(p.getFileName().toString());
        if (m.matches()) {
          max = Math.max(max, Integer.parseInt(m.group(1)));
        }
      }
    }
    return max + 1;
  }


  /**
   * Records {@code entry} as the champion, and {@code explainer} as the model whose TreeSHAP values give the reasons
   * (the champion itself when it explains; otherwise the boosted trees trained with it).
   */
  public void recordChampion(Entry entry, Entry explainer, Trainer.Result r, ModelSettings s, DataInfo data) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("model_id", entry.modelId());
    if (storeId != null) {
      c.put("store_id", storeId);
    }
    c.put("algorithm", entry.algorithm());
    c.put("version", entry.version());
    c.put("path", dir.relativize(entry.folder()).toString());
    c.put("explainer_algorithm", explainer.algorithm());
    c.put("explainer_version", explainer.version());
    c.put("data_fingerprint", data.fingerprint());
    c.put("settings_fingerprint", s.fingerprint());
    c.put("calibration_end", r.calibrationEnd().toString());
    c.put("horizon_days", r.horizonDays());
    c.put("chosen_at", Instant.now().toString());
    c.put("rule", "best mean of normalized Gini and Spearman on the validation window "
        + r.validationCutoff().plusDays(1) + ".." + r.calibrationEnd() + " (never the holdout); gbt wins ties within "
        + s.championTolerance());
    Map<String, Object> scores = new LinkedHashMap<>();
    for (Trainer.Candidate cand : r.candidates()) {
      scores.put(cand.algorithm(), cand.score());
    }
    c.put("validation_scores", scores);
    Path file = championFile();
    try {
      Files.createDirectories(file.getParent());
      Path tmp = Files.createTempFile(file.getParent(), ".champion-", ".json");
      Files.writeString(tmp, Json.pretty(c));
      move(tmp, file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot record the champion in " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Every registered model with the headline of its card (algorithm, version, trained-at, validation score), newest
   * first, for the API and the command line.
   */
  public List<Map<String, Object>> cards() {
    return ModelCards.list(dir, home);
  }


  /**
   * The champion, if one was recorded: the store's own, or else one that no store recorded (trained from files). A
   * champion file that names another store (a folder copied by hand) is an error, never used for this one.
   */
  public Optional<Champion> champion() {
    Path file = championFile();
    if (!Files.isRegularFile(file)) {
      if (storeId == null) {
        return Optional.empty();
      }
      Optional<Champion> shared = new ModelRegistry(dir, home).champion();
      return shared.isPresent() && shared.get().storeId() == null ? shared : Optional.empty();
    }
    try {
      JsonNode n = Json.MAPPER.readTree(file.toFile());
      String recordedStore = n.path("store_id").isTextual() ? n.path("store_id").asText() : null;
      if (storeId != null && !storeId.equals(recordedStore)) {
        throw new RegistryException(file + " names the champion of store " + recordedStore + ", not of this store "
            + storeId + ": move it away and run `valuetier train` to choose this store's champion");
      }
      return Optional.of(
          new Champion(
              text(n, "model_id", file),
              text(n, "algorithm", file),
              n.path("version").asInt(),
              text(n, "data_fingerprint", file),
              text(n, "settings_fingerprint", file),
              LocalDate.parse(text(n, "calibration_end", file)),
              n.path("horizon_days").asInt(),
              Instant.parse(text(n, "chosen_at", file)),
              n.path("explainer_algorithm").asText(text(n, "algorithm", file)),
              n.path("explainer_version").asInt(n.path("version").asInt()),
              recordedStore));
    } catch (RegistryException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new RegistryException(file + " cannot be read: " + e.getMessage() + ". Run `valuetier train` to choose a champion again.", e);
    }
  }

  private static String text(JsonNode n, String field, Path file) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      throw new RegistryException(file + " has no " + field);
    }
    return v.asText();
  }

  /** Loads the champion. */
  public Loaded loadChampion() {
    Champion c =
        champion().orElseThrow(() -> new RegistryException("no champion in " + dir + ": run `valuetier train` first"));
    return load(c.algorithm(), c.version());
  }

  /** Loads the model that gives the champion's reasons (the champion itself when it explains). */
  public Loaded loadExplainer() {
    Champion c =
        champion().orElseThrow(() -> new RegistryException("no champion in " + dir + ": run `valuetier train` first"));
    return load(c.explainerAlgorithm(), c.explainerVersion());
  }

  /**
   * Loads {@code ALGORITHM/vN}: checks the file's SHA-256 against the card, reads it through the allow-list filter,
   * and checks that it still makes its golden predictions.
   *
   * @throws RegistryException when any check fails (the message says which)
   */
  public Loaded load(String algorithm, int version) {
    return ModelLoader.load(dir, algorithm, version);
  }

  /** Reads a model file through the allow-list filter only (no card, no golden check): for tests and tools. */
  public static ValueModel readModelFile(Path modelFile) throws IOException {
    return ModelLoader.readModelFile(modelFile);
  }
}
