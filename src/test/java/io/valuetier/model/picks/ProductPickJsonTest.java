package io.valuetier.model.picks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The picks' JSON as stored and carried: what {@link ProductPick#toJson} writes, {@link ProductPick#fromJson} reads. */
class ProductPickJsonTest {

  @Test
  void picksReadBackAsWritten() {
    List<ProductPick> picks = List.of(
        new ProductPick("22423", "REGENCY CAKESTAND 3 TIER", 0.4125, "bought together with 22699 by 412 customers", true),
        new ProductPick("=cmd|'/C calc'!A0", "quote \" and \\\\ backslash, ünïcödé, 😀", 1e-9, null, null),
        new ProductPick("P3", null, 0, "popular: bought by 95 customers in the last 90 days", false));
    assertEquals(picks, ProductPick.fromJson(ProductPick.toJson(picks)));
  }

  @Test
  void nothingIsAnEmptyList() {
    assertEquals(List.of(), ProductPick.fromJson(null));
    assertEquals(List.of(), ProductPick.fromJson(" "));
    assertEquals(List.of(), ProductPick.fromJson("[]"));
    assertEquals(null, ProductPick.toJson(List.of()));
  }

  @Test
  void unknownFieldsAreSkipped() {
    assertEquals(List.of(new ProductPick("P1", "d", 2.5, "r", null)), ProductPick.fromJson(
        "[{\"product_id\":\"P1\",\"extra\":{\"a\":[1,2]},\"description\":\"d\",\"score\":2.5,\"reason\":\"r\"}]"));
  }

  @Test
  void textThatIsNotAListOfPicksIsRefusedSaying() {
    for (String bad : new String[] {"{\"product_id\":\"P1\"}", "[{\"product_id\":\"P1\"", "[1, 2]", "not json"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ProductPick.fromJson(bad), bad);
      assertTrue(e.getMessage().startsWith("not a list of product picks"), e.getMessage());
    }
  }
}
