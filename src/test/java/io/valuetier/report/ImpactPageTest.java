package io.valuetier.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.whatif.Impact;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The what-if page shows data as text: nothing from a customer id, a reason or a rule-set name becomes markup. */
class ImpactPageTest {
  private static final String SCRIPT = "<script>alert(1)</script>";
  private static final String IMG = "\"><img src=x onerror=alert(2)>";
  private static final String QUOTE = "' onmouseover='alert(3)";

  private static Impact impact(String script, String img, String quote) {
    return new Impact(
        "active" + script, "candidate" + img, 1, 1, 1,
        Map.of("Gold" + script, Map.of("Silver" + img, 1L)),
        Map.of("VIP" + img, new Impact.ActionCount(0, 1)),
        Map.of("Gold" + quote, new Impact.TierValue(1, BigDecimal.TEN, 0, BigDecimal.ZERO)),
        List.of(new Impact.Change("c1" + script + img, new BigDecimal("-3.5"), "Gold" + script, "Silver",
            "VIP" + quote, "NONE", "reason " + script, "reason " + img)));
  }

  private static long count(String s, char c) {
    return s.chars().filter(x -> x == c).count();
  }

  @Test
  void customerIdsReasonsTiersActionsAndRuleSetNamesAreEscaped() {
    String html = ImpactPage.html(impact(SCRIPT, IMG, QUOTE));
    String plain = ImpactPage.html(impact("", "", ""));

    assertFalse(html.contains("<script"), "no script element from data");
    assertFalse(html.contains("<img"), "no image element from data");
    assertEquals(count(plain, '<'), count(html, '<'), "the same markup as with harmless data");
    assertEquals(count(plain, '"'), count(html, '"'), "no attribute opened or closed by data");
    assertEquals(count(plain, '\''), count(html, '\''), "no attribute opened or closed by data");
    assertTrue(html.contains("c1&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"),
        "the customer id is shown as text");
    assertTrue(html.contains("reason &lt;script&gt;"), "the reason is shown as text");
    assertTrue(html.contains("&#39; onmouseover=&#39;alert(3)"), "single quotes are escaped too");
  }
}
