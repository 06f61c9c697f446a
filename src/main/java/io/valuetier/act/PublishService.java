package io.valuetier.act;

import io.valuetier.config.Settings;
import io.valuetier.routes.DeadLetters;
import io.valuetier.routes.FailureSink;
import io.valuetier.routes.RouteHost;
import io.valuetier.store.Redaction;
import io.valuetier.store.Store;
import io.valuetier.store.StoreException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.Exchange;

/**
 * Publishes recommended actions through the route {@code publish-actions} to the destination that
 * {@code valuetier.publish.to} names, and reports what was delivered. A failure (destination down after the
 * retries) is reported, not hidden; running the publish again delivers what is missing and nothing twice.
 */
public final class PublishService implements AutoCloseable {
  private final PublishSettings publish;
  private final Store store;
  private final RouteHost routes;

  /** What one publish did. */
  public record PublishReport(
      String destination, long actions, long delivered, long alreadyDelivered, String failure, String folder) {
    public boolean failed() {
      return failure != null;
    }
  }

  public PublishService(Settings settings, Store store) {
    this.publish = PublishSettings.from(settings);
    this.store = store;
    this.routes =
        RouteHost.start(
            settings,
            Map.of(
                "actionPublisher", new ActionPublisher(store),
                "actionFiles", new ActionFiles(publish.folder()),
                "actionTable", new ActionTable(),
                "actionTableDataSource", store.dataSource(),
                "deadLetters", new DeadLetters()),
            Set.of("publish-actions", "publish-action-files", "publish-action-table"));
  }

  /** The destination as recorded in the delivery log: the configured URI without credentials. */
  public String destination() {
    return Redaction.uri(publish.to());
  }

  /** Publishes the actions of one decision run, in batches of {@code valuetier.publish.batch-size}. */
  public PublishReport publish(String decisionRun, Iterator<ActionRecord> actions) {
    int batchSize = publish.batchSize();
    String destination = destination();
    long before = deliveredCount(destination, decisionRun);
    long[] total = {0};
    Iterator<List<ActionRecord>> batches =
        new Iterator<>() {
          @Override
          public boolean hasNext() {
            return actions.hasNext();
          }

          @Override
          public List<ActionRecord> next() {
            List<ActionRecord> b = new ArrayList<>(batchSize);
            while (b.size() < batchSize && actions.hasNext()) {
              b.add(actions.next());
            }
            total[0] += b.size();
            return b;
          }
        };
    AtomicReference<String> failure = new AtomicReference<>();
    AtomicLong skipped = new AtomicLong();
    Exchange ex =
        routes.template().request(
            "direct:publish-actions",
            e -> {
              e.getMessage().setBody(batches);
              e.getMessage().setHeader(ActionPublisher.HEADER_RUN, decisionRun);
              e.setProperty(FailureSink.PROPERTY, (FailureSink) failure::set);
              e.setProperty(ActionPublisher.SKIPPED, skipped);
            });
    if (ex.getException() != null && failure.get() == null) {
      failure.set(ex.getException().getMessage());
    }
    long deliveredNow;
    try {
      deliveredNow = deliveredCount(destination, decisionRun) - before;
    } catch (StoreException e) {
      if (failure.get() == null) {
        throw e;
      }
      // The store went away during the run (the reason is the failure already recorded): what got through is not
      // known here; the delivery log says it once the store is back, and a re-run delivers the rest.
      deliveredNow = -1;
    }
    String folder =
        destination.equals(PublishSettings.ACTION_FILES)
            ? publish.folder().resolve(decisionRun).toString()
            : null;
    // the failure quotes the endpoint (an HTTP error names the URI it called): no credential goes into a report
    return new PublishReport(
        destination, total[0], deliveredNow, skipped.get(), Redaction.text(failure.get()), folder);
  }

  private long deliveredCount(String destination, String run) {
    return store.queryLong(
        "SELECT COUNT(*) FROM action_deliveries WHERE destination = ? AND run_id = ?", destination, run);
  }

  @Override
  public void close() {
    routes.close();
  }
}
