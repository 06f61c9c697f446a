package io.valuetier.ingest;

import io.valuetier.clean.CustomerFactsCleaner;
import io.valuetier.records.CustomerFacts;
import io.valuetier.store.IngestStore;
import java.util.List;

/** The steps of the customer facts route: a CSV with a named header, checked by {@link CustomerFactsCleaner}. */
public final class CustomerIngest extends HeaderCsvIngest<CustomerFacts> {
  public CustomerIngest(IngestStore store, int chunkSize, int maxRecordLines, int maxRecordBytes) {
    super("customers", CustomerFactsCleaner::new, store, chunkSize, maxRecordLines, maxRecordBytes);
  }

  @Override
  protected void accepted(IngestRun run, CustomerFacts row) {
    run.customers.put(row.customerId(), null);
  }

  @Override
  protected String customerOf(CustomerFacts row) {
    return row.customerId();
  }

  @Override
  protected void storeAccepted(IngestRun run, List<CustomerFacts> rows) {
    store.customers().upsertCustomerFacts(rows);
  }
}
