package io.valuetier.store;

/**
 * What ingest writes, by table: transactions, rejected records, customers and the run log. Every write is an
 * idempotent batch keyed by content (transactions) or by source fingerprint and line (rejections), so that a repeated
 * or resumed ingest leaves the same rows.
 */
public final class IngestStore {
  private final Store store;
  private final TransactionStore transactions;
  private final RejectionStore rejections;
  private final CustomerStore customers;
  private final IngestRunStore runs;

  public IngestStore(Store store) {
    this.store = store;
    this.transactions = new TransactionStore(store);
    this.rejections = new RejectionStore(store);
    this.customers = new CustomerStore(store);
    this.runs = new IngestRunStore(store);
  }

  public Store store() {
    return store;
  }

  public TransactionStore transactions() {
    return transactions;
  }

  public RejectionStore rejections() {
    return rejections;
  }

  public CustomerStore customers() {
    return customers;
  }

  public IngestRunStore runs() {
    return runs;
  }
}
