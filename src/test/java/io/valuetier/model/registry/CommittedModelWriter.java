package io.valuetier.model.registry;

import io.valuetier.features.CustomerLog;
import io.valuetier.features.FeatureBuilder;
import io.valuetier.features.FeatureTable;
import io.valuetier.model.ModelSettings;
import io.valuetier.model.TestData;
import io.valuetier.model.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Writes the registry that {@link CommittedModelTest} loads: every algorithm trained on the CDNOW sample up to
 * 1997-09-30 by this version. Run it only when a model class changes on purpose (the test then fails until the new
 * files are committed, which is the point):
 *
 * <pre>mvn -q test-compile exec:java ... or from the IDE: main(new String[] {"src/test/resources/compat/registry"})</pre>
 */
public final class CommittedModelWriter {
  private CommittedModelWriter() {}

  public static void main(String[] args) throws IOException {
    Path target = Path.of(args.length > 0 ? args[0] : "src/test/resources/compat/registry");
    // written elsewhere first, so that the model cards record the commit of a clean tree
    Path dir = Files.createTempDirectory("committed-registry");
    Trainer.Result r = TestData.sampleTraining();
    CustomerLog log = TestData.cdnowSample().upTo((int) TestData.SAMPLE_CUTOFF.toEpochDay());
    FeatureTable golden = FeatureTable.at(log, (int) TestData.SAMPLE_CUTOFF.toEpochDay(), new FeatureBuilder(r.spec()));
    ModelRegistry.DataInfo data =
        new ModelRegistry.DataInfo(log.fingerprint(), "data/sample/CDNOW_sample.txt up to 1997-09-30", log.size(),
            log.records(), log.firstDate(), log.lastDate());
    new ModelRegistry(dir, TestData.home()).registerAll(r, ModelSettings.from(TestData.settings()), data, golden);
    if (Files.exists(target)) {
      try (Stream<Path> s = Files.walk(target)) {
        for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.toList()) {
        Path to = target.resolve(dir.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
        } else {
          Files.copy(p, to);
        }
      }
    }
    System.out.println("wrote " + target.toAbsolutePath());
  }
}
