package io.valuetier.ingest;

import io.valuetier.clean.CustomerFactsCleaner;
import io.valuetier.records.CustomerFacts;
import io.valuetier.store.IngestStore;
import java.time.LocalDateTime;
import java.util.List;

/** The steps of the customer facts route: a CSV with a named header, checked by {@link CustomerFactsCleaner}. */
public final class CustomerIngest extends RecordIngest<CustomerFacts> {
  private static final String CLEANER = "cleaner";

  public CustomerIngest(IngestStore store, int chunkSize, int maxRecordLines,
      int maxRecordBytes) {
    super(store, chunkSize, maxRecordLines, maxRecordBytes);
  }

  @Override
  protected String kind() {
    return "customers";
  }

  @Override
  protected DelimitedReader.Mode mode(String format) {
    return DelimitedReader.Mode.COMMA;
  }

  @Override
  protected int expectedColumns(String format) {
    return -1;
  }

  @Override
  protected boolean bind(IngestRun run, String format, RawRecord first) {
    run.attach(CLEANER, new CustomerFactsCleaner(run.source(), first.fields(), LocalDateTime.now().plusDays(1)));
    return true;
  }

  @Override
  protected void cleanRecord(IngestRun run, RawRecord r, Chunk<CustomerFacts> chunk) {
    CustomerFactsCleaner.Result res = run.attached(CLEANER, CustomerFactsCleaner.class).clean(r.line(), r.fields(), r::text);
    if (res.rejected() != null) {
      chunk.rejected().add(res.rejected());
      run.count(res.rejected().reason());
    } else {
      chunk.accepted().add(res.accepted());
      run.countAccepted(false, false);
      run.customers.put(res.accepted().customerId(), null);
    }
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
