package io.valuetier;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shape of the code, checked on the compiled main classes: the packages directly under {@code io.valuetier} (with
 * their subpackages) form no cycle, and each depends only on the layers below it, from the shared records to the
 * command line.
 */
class ArchitectureTest {
  /** A layer and the packages under {@code io.valuetier} it holds (with their subpackages). */
  private record Layer(String name, String... packages) {}

  /**
   * The layers from the bottom up; a layer may use only the layers listed before it. The stages follow the direction
   * of their dependencies: cleaning (the cleaners and their column helpers) sits below ingest, which drives it.
   */
  private static final List<Layer> LAYERS = List.of(
      new Layer("shared", "config", "util", "records"),
      new Layer("store", "store"),
      new Layer("routes", "routes"),
      new Layer("privacy", "privacy"),
      new Layer("clean", "clean"),
      new Layer("ingest", "ingest"),
      new Layer("features", "features"),
      new Layer("model", "model"),
      new Layer("decide", "decide"),
      new Layer("whatif", "whatif"),
      new Layer("act", "act"),
      new Layer("feedback", "feedback"),
      new Layer("monitor", "monitor"),
      new Layer("bench", "bench"),
      new Layer("report", "report"),
      new Layer("pipeline", "pipeline"),
      new Layer("api", "api"),
      new Layer("stream", "stream"),
      new Layer("cli", "cli"));

  private static JavaClasses classes;

  @BeforeAll
  static void importMainClasses() {
    classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.valuetier");
  }

  @Test
  void noTwoPackagesDependOnEachOtherThroughAnyChain() {
    slices().matching("io.valuetier.(*)..").should().beFreeOfCycles().check(classes);
  }

  @Test
  void everyPackageUsesOnlyTheLayersBelowIt() {
    LayeredArchitecture architecture = layeredArchitecture().consideringOnlyDependenciesInLayers()
        .ensureAllClassesAreContainedInArchitecture();
    for (Layer layer : LAYERS) {
      architecture = architecture.layer(layer.name())
          .definedBy(Arrays.stream(layer.packages()).map(p -> "io.valuetier." + p + "..").toArray(String[]::new));
    }
    architecture = architecture.whereLayer(LAYERS.get(0).name()).mayNotAccessAnyLayer();
    for (int i = 1; i < LAYERS.size(); i++) {
      String[] below = LAYERS.subList(0, i).stream().map(Layer::name).toArray(String[]::new);
      architecture = architecture.whereLayer(LAYERS.get(i).name()).mayOnlyAccessLayers(below);
    }
    architecture.check(classes);
  }
}
