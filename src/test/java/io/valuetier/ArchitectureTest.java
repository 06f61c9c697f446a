package io.valuetier;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shape of the code, checked on the compiled main classes: the packages directly under {@code io.valuetier} (with
 * their subpackages) form no cycle, so that each can be read, tested and changed from the bottom up.
 */
class ArchitectureTest {
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
}
