package io.valuetier.model.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.valuetier.model.ValueModel;
import io.valuetier.util.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Loads a registered model with its checks: the file's checksum, the allow-list filter and the golden predictions. */
final class ModelLoader {
  private ModelLoader() {}

  /**
   * Loads {@code ALGORITHM/vN}: checks the file's SHA-256 against the card, reads it through the allow-list filter,
   * and checks that it still makes its golden predictions.
   *
   * @throws RegistryException when any check fails (the message says which)
   */
  static ModelRegistry.Loaded load(Path dir, String algorithm, int version) {
    Path folder = dir.resolve(algorithm).resolve("v" + version);
    ModelRegistry.Entry entry = new ModelRegistry.Entry(algorithm + "-v" + version, algorithm, version, folder);
    Path modelFile = folder.resolve("model.ser");
    try {
      JsonNode card = Json.MAPPER.readTree(folder.resolve("card.json").toFile());
      String expected = card.path("files").path("model_sha256").asText();
      String actual = Provenance.sha256(modelFile);
      if (!expected.equals(actual)) {
        throw new RegistryException(
            modelFile + " was changed after it was saved (SHA-256 " + actual + ", card says " + expected
                + "): refusing to load it");
      }
      ValueModel model;
      try (InputStream in = Files.newInputStream(modelFile)) {
        model = SafeModelInput.read(in, ValueModel.class, modelFile.toString());
      }
      GoldenCheck.check(model, folder.resolve("golden.json"));
      return new ModelRegistry.Loaded(entry, model, card);
    } catch (InvalidClassException e) {
      throw new RegistryException("refusing to load " + modelFile + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new RegistryException("cannot load " + folder + ": " + e.getMessage(), e);
    }
  }

  /** Reads a model file through the allow-list filter only (no card, no golden check): for tests and tools. */
  static ValueModel readModelFile(Path modelFile) throws IOException {
    try (InputStream in = Files.newInputStream(modelFile)) {
      return SafeModelInput.read(in, ValueModel.class, modelFile.toString());
    }
  }
}
