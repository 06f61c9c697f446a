package io.valuetier.act;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.model.picks.ProductPick;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/**
 * The body of a batch on its way to the destination: the project's own writers in this process take the records as
 * they are (no JSON made and parsed back), a webhook or broker gets the JSON array, and a writer reads either form
 * to the same records.
 */
class ActionBodyTest {
  private static final List<ActionRecord> BATCH = List.of(
      new ActionRecord("4294967297", "12345", "Gold", "CROSS_SELL", "EMAIL", "Personal recommendations", 2,
          new BigDecimal("412.50"), "Value Tier#3", "abc", "gbt-1", Instant.parse("2011-12-09T10:00:00Z"), false,
          "bought 12 times", "last order 3 days ago", null, "Priority",
          List.of(new ProductPick("85123A", "WHITE HANGING HEART", 0.8, "bought together with X by 4 customers",
              true))),
      new ActionRecord("4294967298", "12346", "Bronze", "NO_ACTION", null, null, 9, new BigDecimal("3.10"), "",
          "abc", "gbt-1", Instant.parse("2011-12-09T10:00:00Z"), true));

  private static Exchange exchange(String destination) {
    Exchange e = new DefaultExchange(new DefaultCamelContext());
    e.getMessage().setHeader(ActionPublisher.HEADER_DESTINATION, destination);
    e.getMessage().setHeader(ActionPublisher.HEADER_RUN, "7");
    return e;
  }

  @Test
  void theProjectsOwnWritersTakeTheRecordsAsTheyAre() throws Exception {
    ActionPublisher publisher = new ActionPublisher(null);
    for (String writer : List.of("direct:write-action-files", "direct:write-action-table")) {
      Object body = publisher.toBody(BATCH, exchange(writer));
      assertSame(BATCH, body, writer);
      assertSame(BATCH, ActionPublisher.records(body));
    }
  }

  @Test
  void aWebhookGetsTheJsonArrayThatReadsBackToTheSameRecords() throws Exception {
    Exchange e = exchange("http://crm.example.com/hooks/actions");
    Object body = new ActionPublisher(null).toBody(BATCH, e);
    assertTrue(body instanceof String json && json.startsWith("[{\"decision_id\":\"4294967297\""), body::toString);
    assertEquals("application/json", e.getMessage().getHeader(Exchange.CONTENT_TYPE));
    assertEquals(BATCH, ActionPublisher.records(body));
  }

  @Test
  void anythingElseIsAClearError() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ActionPublisher.records(42));
    assertEquals("a batch of actions is a list of records or a JSON array, not a java.lang.Integer", e.getMessage());
    IllegalArgumentException list =
        assertThrows(IllegalArgumentException.class, () -> ActionPublisher.records(List.of("x")));
    assertEquals("a batch of actions holds a java.lang.String", list.getMessage());
  }
}
