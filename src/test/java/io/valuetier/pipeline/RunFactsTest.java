package io.valuetier.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RunFactsTest {

  private static RunFacts withoutFacts(long n) {
    return new RunFacts("0b4c3f1e-0000-4000-8000-000000000000", "0b4c3f1e/run-1", null, List.of(), 10, 0, 0, n);
  }

  @Test
  void aRunWithoutAnyCustomerFactsIsToldWhatUnknownConsentMeans() {
    List<String> lines = withoutFacts(10).lines(10);
    assertEquals(1, lines.size(), lines.toString());
    String all = lines.getFirst();
    assertTrue(all.contains("none of the 10 customers has a known marketing consent"), all);
    assertTrue(all.contains("NO_CONTACT") && all.contains("--customers FILE"), all);
  }

  @Test
  void aRunWithSomeCustomersWithoutFactsCountsThem() {
    String some = withoutFacts(3).lines(10).getFirst();
    assertTrue(some.contains("3 of 10 customers have no known marketing consent"), some);
  }

  @Test
  void aRunWhereEveryCustomerHasFactsSaysNothingAboutConsent() {
    assertEquals(List.of(), withoutFacts(0).lines(10));
  }
}
