package io.valuetier.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.act.ActionFiles;
import io.valuetier.act.ActionPublisher;
import io.valuetier.act.ActionRecord;
import io.valuetier.util.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code routes/publish-action-files.camel.yaml} on a real folder: a JSON batch is split into one part per file, each
 * appended under its {@code CamelFileName} in the run's folder ({@code mock:written} sees each part after the file
 * endpoint); a second batch appends without a second header, and a later process (new bean, same folder) does not
 * write a batch already there again.
 */
class PublishActionFilesRouteTest {
  @TempDir Path work;

  @Test
  void aBatchIsSplitIntoOneAppendPerFileInTheRunsFolder() throws Exception {
    Path out = work.resolve("out");
    try (RouteHost host = start(out)) {
      MockEndpoint written = RouteKit.mock(host, "written");
      written.expectedMessageCount(4);
      written.expectedHeaderValuesReceivedInAnyOrder(Exchange.FILE_NAME, "run-1/VIP_CALL.csv",
          "run-1/VOUCHER_10.csv", "run-1/VIP_CALL.control-group.csv", "run-1/actions.jsonl");
      List<ActionRecord> batch = new ArrayList<>(RouteKit.actions(0, 3, false));
      batch.addAll(RouteKit.actions(10, 1, true));
      NotifyBuilder done = new NotifyBuilder(host.context()).fromRoute("publish-action-files").whenDone(1).create();

      send(host, batch);

      assertTrue(done.matchesWaitTime());
      written.assertIsSatisfied();
      List<String> vip = Files.readAllLines(out.resolve("run-1/VIP_CALL.csv"));
      assertEquals(ActionRecord.CSV_HEADER, vip.getFirst());
      assertEquals(3, vip.size(), "header, d-0 and d-2: " + vip);
      assertEquals(2, Files.readAllLines(out.resolve("run-1/VIP_CALL.control-group.csv")).size(),
          "the control group goes to a file of its own");
      assertEquals(4, Files.readAllLines(out.resolve("run-1/actions.jsonl")).size());

      written.reset();
      written.expectedMessageCount(2);
      send(host, RouteKit.actions(4, 1, false));
      written.assertIsSatisfied();
      vip = Files.readAllLines(out.resolve("run-1/VIP_CALL.csv"));
      assertEquals(4, vip.size(), "appended, with no second header: " + vip);
      assertTrue(vip.getLast().startsWith("d-4,"), vip.getLast());

    }
    try (RouteHost again = start(out)) {
      MockEndpoint written = RouteKit.mock(again, "written");
      written.expectedMessageCount(0);
      send(again, RouteKit.actions(0, 2, false));
      written.assertIsSatisfied();
      assertEquals(5, Files.readAllLines(out.resolve("run-1/actions.jsonl")).size(),
          "a later process finds the decisions in the folder and writes nothing twice");
    }
  }

  private RouteHost start(Path out) {
    return RouteKit.start(RouteKit.settings(work, Map.of("valuetier.publish.folder", out.toString())),
        Map.of("actionFiles", new ActionFiles(out)), Set.of("publish-action-files"), false,
        ctx -> RouteKit.advise(ctx, "publish-action-files", a -> a.weaveByToUri("file:*").after().to("mock:written")));
  }

  private static void send(RouteHost host, List<ActionRecord> batch) {
    host.template().sendBodyAndHeader("direct:write-action-files", Json.write(batch), ActionPublisher.HEADER_RUN,
        "run-1");
  }
}
