package io.valuetier.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.act.ActionPublisher;
import io.valuetier.act.ActionRecord;
import io.valuetier.config.Settings;
import io.valuetier.store.Store;
import io.valuetier.store.Stores;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.Exchange;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.model.ToDynamicDefinition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code routes/publish-actions.camel.yaml} with a webhook destination: the webhook (the only external endpoint, the
 * route's {@code toD}) is replaced by {@code mock:crm}; the delivery log is the real store (H2). Batches are split, those already delivered
 * are filtered out (idempotent by decision id), each batch carries its headers, and a destination that keeps
 * failing is retried, dead-lettered and reported, after which a re-run delivers what is missing.
 */
class PublishActionsRouteTest {
  private static final String WEBHOOK = "https://crm.example.com/hooks/actions?token=s3cret";
  private static final String DESTINATION = "https://crm.example.com/hooks/actions?token=***";

  @TempDir Path work;
  private Store store;
  private RouteHost host;

  @BeforeEach
  void start() {
    Settings s = RouteKit.settings(work, Map.of("valuetier.publish.to", WEBHOOK));
    store = Stores.open(s);
    host = RouteKit.start(s, Map.of("actionPublisher", new ActionPublisher(store)), Set.of("publish-actions"), false,
        ctx -> {
          RouteKit.watchDeadLetters(ctx);
          RouteKit.advise(ctx, "publish-actions",
              a -> a.weaveByType(ToDynamicDefinition.class).replace().to("mock:crm"));
        });
  }

  @AfterEach
  void stop() {
    host.close();
    store.close();
  }

  private Exchange publish(List<List<ActionRecord>> batches, AtomicLong skipped, List<String> failures) {
    Iterator<List<ActionRecord>> it = batches.iterator();
    return host.template().send("direct:publish-actions", e -> {
      e.getMessage().setBody(it);
      e.getMessage().setHeader(ActionPublisher.HEADER_RUN, "run-1");
      e.setProperty(ActionPublisher.SKIPPED, skipped);
      e.setProperty(FailureSink.PROPERTY, (FailureSink) failures::add);
    });
  }

  private long delivered() {
    return store.queryLong("SELECT COUNT(*) FROM action_deliveries WHERE destination = ?", DESTINATION);
  }

  @Test
  void eachBatchIsSentOnceWithItsHeadersAndARepeatSendsOnlyWhatIsNew() throws Exception {
    MockEndpoint crm = RouteKit.mock(host, "crm");
    crm.expectedMessageCount(2);
    crm.expectedHeaderReceived(ActionPublisher.HEADER_DESTINATION, DESTINATION);
    crm.expectedHeaderReceived(Exchange.HTTP_METHOD, "POST");
    crm.expectedHeaderReceived(Exchange.CONTENT_TYPE, "application/json");
    crm.message(0).header(ActionPublisher.HEADER_IDEMPOTENCY_KEY).isEqualTo("run-1:d-0-d-2:3");
    crm.message(0).header("valuetierActions").isEqualTo(3);
    crm.message(1).header(ActionPublisher.HEADER_IDEMPOTENCY_KEY).isEqualTo("run-1:d-3-d-3:1");
    List<String> failures = new CopyOnWriteArrayList<>();
    AtomicLong skipped = new AtomicLong();

    Exchange ex = publish(List.of(RouteKit.actions(0, 3, false), RouteKit.actions(3, 1, false)), skipped, failures);

    crm.assertIsSatisfied();
    assertNull(ex.getException());
    String json = crm.getReceivedExchanges().getFirst().getMessage().getBody(String.class);
    assertTrue(json.startsWith("[{\"decision_id\":\"d-0\"") && json.contains("\"decision_id\":\"d-2\""), json);
    assertEquals(4, delivered());
    assertEquals(0, skipped.get());

    crm.reset();
    crm.expectedMessageCount(1);
    crm.message(0).header("valuetierActions").isEqualTo(1);
    publish(List.of(RouteKit.actions(0, 3, false), RouteKit.actions(3, 2, false)), skipped, failures);
    crm.assertIsSatisfied();
    assertTrue(crm.getReceivedExchanges().getFirst().getMessage().getBody(String.class).contains("\"d-4\""));
    assertEquals(4, skipped.get(), "the delivered batch is filtered out, the known action of the next one dropped");
    assertEquals(5, delivered());
    assertEquals(List.of(), failures);
  }

  @Test
  void aDestinationThatKeepsFailingIsRetriedDeadLetteredAndReportedAndARerunCompletes() throws Exception {
    MockEndpoint crm = RouteKit.mock(host, "crm");
    MockEndpoint dead = RouteKit.mock(host, "dead-letter");
    crm.whenAnyExchangeReceived(e -> {
      if (e.getMessage().getBody(String.class).contains("\"d-2\"")) {
        throw new IllegalStateException("crm answered 502");
      }
    });
    crm.expectedMessageCount(1 + 1 + RouteKit.REDELIVERIES);
    dead.expectedMessageCount(1);
    List<String> failures = new CopyOnWriteArrayList<>();

    publish(List.of(RouteKit.actions(0, 2, false), RouteKit.actions(2, 2, false), RouteKit.actions(4, 2, false)),
        new AtomicLong(), failures);

    MockEndpoint.assertIsSatisfied(crm, dead);
    assertEquals(1, failures.size(), "the run is told: " + failures);
    assertTrue(failures.getFirst().contains("crm answered 502"), failures.getFirst());
    assertEquals(2, delivered(), "the failed batch is not recorded and the split stopped there");
    assertEquals(1, RouteKit.deadLetterFiles(work).size());

    crm.reset();
    crm.whenAnyExchangeReceived(e -> {});
    crm.expectedMessageCount(2);
    dead.reset();
    dead.expectedMessageCount(0);
    failures.clear();
    publish(List.of(RouteKit.actions(0, 2, false), RouteKit.actions(2, 2, false), RouteKit.actions(4, 2, false)),
        new AtomicLong(), failures);
    MockEndpoint.assertIsSatisfied(crm, dead);
    assertEquals(6, delivered());
    assertEquals(List.of(), failures);
  }
}
