package io.valuetier.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.Exchange;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code routes/dead-letter.camel.yaml} alone: what arrives on {@code direct:dead-letter} is recorded (reason header,
 * the run and the caller hear of it), written to the dead-letter destination (a real folder), and an HTTP caller gets
 * a 503 problem answer. {@code mock:after} at the route's end shows the message as the route leaves it.
 */
class DeadLetterRouteTest {
  @TempDir Path work;

  private RouteHost start() {
    return RouteKit.start(RouteKit.settings(work, Map.of()), Map.of(), Set.of(), false,
        ctx -> RouteKit.advise(ctx, "dead-letter", a -> a.weaveAddLast().to("mock:after")));
  }

  @Test
  void theOriginalMessageIsKeptWithItsReasonAndTheRunAndTheCallerHearOfIt() throws Exception {
    try (RouteHost host = start()) {
      MockEndpoint after = RouteKit.mock(host, "after");
      after.expectedMessageCount(1);
      after.expectedBodiesReceived("line 1\nline 2\n");
      after.expectedHeaderReceived(DeadLetters.HEADER_REASON,
          "route dead-letter: webhook https://crm.example.com/hooks?token=*** down");
      after.message(0).header(Exchange.HTTP_RESPONSE_CODE).isNull();
      List<String> run = new CopyOnWriteArrayList<>();
      List<String> caller = new CopyOnWriteArrayList<>();

      Exchange ex = host.template().send("direct:dead-letter", e -> {
        e.getMessage().setBody("line 1\nline 2\n");
        e.setProperty(Exchange.EXCEPTION_CAUGHT,
            new IllegalStateException("webhook https://crm.example.com/hooks?token=s3cret down"));
        e.setProperty(FailureSink.RUN_PROPERTY, (FailureSink) run::add);
        e.setProperty(FailureSink.PROPERTY, (FailureSink) caller::add);
      });

      after.assertIsSatisfied();
      assertNull(ex.getException());
      assertEquals(1, run.size(), "the run is marked failed");
      assertEquals(run, caller, "and the caller hears the same reason");
      assertFalse(run.getFirst().contains("s3cret"), "a secret in the failure is masked: " + run);
      List<Path> files = RouteKit.deadLetterFiles(work);
      assertEquals(1, files.size(), "one dead letter: " + files);
      assertTrue(files.getFirst().getFileName().toString().startsWith("dead-letter-"), files.toString());
      assertEquals("line 1\nline 2\n", Files.readString(files.getFirst()), "the message is kept as it came");
    }
  }

  @Test
  void aFailureWithoutABodyKeepsItsReasonAndHeadersInTheDeadLetter() throws Exception {
    try (RouteHost host = start()) {
      MockEndpoint after = RouteKit.mock(host, "after");
      after.expectedMessageCount(1);
      host.template().send("direct:dead-letter", e -> {
        e.getMessage().setHeader("valuetierFile", "/data/in/orders.csv");
        e.setProperty(Exchange.EXCEPTION_CAUGHT, new IllegalStateException("disk full"));
      });
      after.assertIsSatisfied();
      String kept = Files.readString(RouteKit.deadLetterFiles(work).getFirst());
      assertTrue(kept.startsWith("route dead-letter: disk full"), kept);
      assertTrue(kept.contains("valuetierFile=/data/in/orders.csv"), kept);
    }
  }

  @Test
  void anHttpCallerIsToldToRetryWithAProblemAnswerWhileTheRequestIsKept() throws Exception {
    try (RouteHost host = start()) {
      MockEndpoint after = RouteKit.mock(host, "after");
      after.expectedMessageCount(1);
      after.expectedHeaderReceived(Exchange.HTTP_RESPONSE_CODE, 503);
      after.expectedHeaderReceived(Exchange.CONTENT_TYPE, "application/problem+json");
      after.message(0).header("Authorization").isNull();
      Exchange ex = host.template().send("direct:dead-letter", e -> {
        e.getMessage().setBody("{\"order_id\":\"A1\"}");
        e.getMessage().setHeader(Exchange.HTTP_METHOD, "POST");
        e.getMessage().setHeader("Authorization", "Bearer k-1");
        e.setProperty(Exchange.EXCEPTION_CAUGHT, new IllegalStateException("store unavailable"));
      });
      after.assertIsSatisfied();
      String answer = ex.getMessage().getBody(String.class);
      assertTrue(answer.contains("\"status\":503") && answer.contains("store unavailable"), answer);
      assertEquals("{\"order_id\":\"A1\"}", Files.readString(RouteKit.deadLetterFiles(work).getFirst()),
          "the request is kept before the answer replaces it");
    }
  }
}
