package io.valuetier.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.records.IngestException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code routes/error-handling.camel.yaml}, the route configuration every route opts into: a probe route with
 * {@code routeConfigurationId: valuetier-errors} sends to {@code mock:step}, which fails as the test says. Transient
 * failures are retried ({@code valuetier.errors.max-redeliveries}), exhausted ones reach the real dead-letter route
 * with the original message, and failures that would fail again are neither retried nor dead-lettered.
 */
class ErrorHandlingRouteTest {
  @TempDir Path work;

  private RouteHost start() {
    return RouteKit.start(RouteKit.settings(work, Map.of()), Map.of(), Set.of(), false, ctx -> {
      RouteKit.watchDeadLetters(ctx);
      ctx.addRoutes(new RouteBuilder() {
        @Override
        public void configure() {
          from("direct:probe").routeId("probe").routeConfigurationId("valuetier-errors")
              .setBody(simple("changed ${body}"))
              .to("mock:step");
        }
      });
    });
  }

  @Test
  void aTransientFailureIsRetriedAndThenGoesThrough() throws Exception {
    try (RouteHost host = start()) {
      MockEndpoint step = RouteKit.mock(host, "step");
      MockEndpoint dead = RouteKit.mock(host, "dead-letter");
      AtomicInteger calls = new AtomicInteger();
      step.whenAnyExchangeReceived(e -> {
        if (calls.incrementAndGet() <= RouteKit.REDELIVERIES) {
          throw new IllegalStateException("connection reset");
        }
      });
      step.expectedMessageCount(1 + RouteKit.REDELIVERIES);
      step.message(RouteKit.REDELIVERIES).header(Exchange.REDELIVERY_COUNTER).isEqualTo(RouteKit.REDELIVERIES);
      dead.expectedMessageCount(0);

      Exchange ex = host.template().send("direct:probe", e -> e.getMessage().setBody("batch"));

      MockEndpoint.assertIsSatisfied(step, dead);
      assertNull(ex.getException());
      assertEquals("changed batch", ex.getMessage().getBody(String.class));
    }
  }

  @Test
  void exhaustedRetriesSendTheOriginalMessageToTheDeadLetterRoute() throws Exception {
    try (RouteHost host = start()) {
      MockEndpoint step = RouteKit.mock(host, "step");
      MockEndpoint dead = RouteKit.mock(host, "dead-letter");
      step.whenAnyExchangeReceived(e -> {
        throw new IllegalStateException("webhook answered 502");
      });
      step.expectedMessageCount(1 + RouteKit.REDELIVERIES);
      dead.expectedMessageCount(1);
      dead.expectedBodiesReceived("batch");
      List<String> heard = new CopyOnWriteArrayList<>();

      Exchange ex = host.template().send("direct:probe", e -> {
        e.getMessage().setBody("batch");
        e.setProperty(FailureSink.PROPERTY, (FailureSink) heard::add);
      });

      MockEndpoint.assertIsSatisfied(step, dead);
      assertNull(ex.getException(), "the dead letter channel handled the failure");
      assertEquals(List.of("route probe: webhook answered 502"), heard);
      List<Path> files = RouteKit.deadLetterFiles(work);
      assertEquals(1, files.size());
      assertEquals("batch", Files.readString(files.getFirst()), "the original message, not the changed one");
    }
  }

  @Test
  void failuresThatWouldFailAgainAreNeitherRetriedNorDeadLettered() throws Exception {
    List<Exception> permanent = List.of(new IngestException("orders.csv is empty"),
        new IllegalArgumentException("unknown layout 'xml'"), new NoSuchFileException("orders.csv"));
    for (Exception failure : permanent) {
      try (RouteHost host = start()) {
        MockEndpoint step = RouteKit.mock(host, "step");
        MockEndpoint dead = RouteKit.mock(host, "dead-letter");
        step.whenAnyExchangeReceived(e -> {
          throw failure;
        });
        step.expectedMessageCount(1);
        dead.expectedMessageCount(0);

        Exchange ex = host.template().send("direct:probe", e -> e.getMessage().setBody("batch"));

        MockEndpoint.assertIsSatisfied(step, dead);
        assertInstanceOf(failure.getClass(), ex.getException(), "the caller gets the error: " + failure);
        assertEquals(failure.getMessage(), ex.getException().getMessage());
        assertTrue(RouteKit.deadLetterFiles(work).isEmpty(), "nothing kept for " + failure);
      }
    }
  }
}
