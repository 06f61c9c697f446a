package io.valuetier.ingest;

import io.valuetier.clean.OutcomeCleaner;
import io.valuetier.records.Outcome;
import io.valuetier.records.RejectReason;
import io.valuetier.records.Rejection;
import io.valuetier.store.IngestStore;
import io.valuetier.store.OutcomeStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;

/**
 * The steps of the outcomes route: a CSV of outcomes per decision, checked line by line, then against the store
 * (the decision must exist and belong to the same customer), and stored one row per decision.
 */
public final class OutcomeIngest extends HeaderCsvIngest<Outcome> {
  private final OutcomeStore outcomes;

  public OutcomeIngest(IngestStore store, OutcomeStore outcomes, int chunkSize, int maxRecordLines,
      int maxRecordBytes) {
    super("outcomes", OutcomeCleaner::new, store, chunkSize, maxRecordLines, maxRecordBytes);
    this.outcomes = outcomes;
  }

  /** After the line checks, the store checks: the decision exists and is the customer's. */
  @Override
  public Chunk<Outcome> clean(Chunk<Outcome> chunk, Exchange exchange) {
    super.clean(chunk, exchange);
    IngestRun run = exchange.getProperty(IngestRun.PROPERTY, IngestRun.class);
    Map<Long, String> known = outcomes.decisionCustomers(chunk.accepted().stream().map(Outcome::decisionId).toList());
    List<Outcome> kept = new ArrayList<>(chunk.accepted().size());
    Map<Long, String> textByLine = null; // built only when a line is rejected here
    for (Outcome o : chunk.accepted()) {
      String customer = known.get(o.decisionId());
      if (customer != null && (o.customerId() == null || o.customerId().equals(customer))) {
        kept.add(new Outcome(o.decisionId(), customer, o.responded(), o.purchased(), o.revenue(), o.windowDays(),
            o.observedAt(), o.line()));
        continue;
      }
      if (textByLine == null) {
        textByLine = new HashMap<>();
        for (RawRecord r : chunk.raw()) {
          textByLine.put(r.line(), r.text());
        }
      }
      String text = textByLine.getOrDefault(o.line(), "");
      if (customer == null) {
        chunk.rejected().add(new Rejection(o.line(), RejectReason.UNKNOWN_DECISION, "decision_id",
            Long.toString(o.decisionId()), "no decision " + o.decisionId() + " in the store (expired, or from another store?)", text));
        run.reclassify(RejectReason.UNKNOWN_DECISION);
      } else {
        chunk.rejected().add(new Rejection(o.line(), RejectReason.CUSTOMER_MISMATCH, "customer_id", o.customerId(),
            "decision " + o.decisionId() + " was made for customer " + customer + ", not " + o.customerId(), text));
        run.reclassify(RejectReason.CUSTOMER_MISMATCH);
      }
    }
    chunk.accepted().clear();
    chunk.accepted().addAll(kept);
    return chunk;
  }

  @Override
  protected String customerOf(Outcome row) {
    return row.customerId();
  }

  @Override
  protected void storeAccepted(IngestRun run, List<Outcome> rows) {
    outcomes.upsert(rows, run.sourceId());
  }
}
