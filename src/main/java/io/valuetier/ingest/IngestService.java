package io.valuetier.ingest;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.valuetier.clean.CleaningRules;
import io.valuetier.config.Settings;
import io.valuetier.records.IngestException;
import io.valuetier.records.IngestReport;
import io.valuetier.routes.DeadLetters;
import io.valuetier.routes.RouteHost;
import io.valuetier.store.IngestStore;
import io.valuetier.store.OutcomeStore;
import io.valuetier.store.Store;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Exchange;

/**
 * Runs file ingests through the Camel routes {@code ingest-transactions-file} and {@code ingest-customers-file}, and
 * returns their accounting. A run whose slices could not all be stored is reported FAILED (its unstored lines are in
 * the dead-letter destination); running the same ingest again completes it, as every write is idempotent.
 */
public final class IngestService implements AutoCloseable {
  private final Settings settings;
  private final IngestSettings ingest;
  private final IngestStore store;
  private final RouteHost routes;
  private final TransactionIngest transactions;
  private final CustomerIngest customers;
  private final OutcomeIngest outcomes;
  private final ProductIngest products;
  private volatile IngestRun current;
  public IngestService(Settings settings, Store store) {
    this.settings = settings;
    this.store = new IngestStore(store);
    this.ingest = IngestSettings.from(settings);
    int chunk = ingest.chunkSize();
    int maxLines = ingest.maxRecordLines();
    int maxBytes = ingest.maxRecordBytes();
    CleaningRules.from(settings, LocalDateTime.now()); // fail fast on bad cleaning settings
    this.transactions =
        new TransactionIngest(
            this.store, () -> CleaningRules.from(settings, LocalDateTime.now()), chunk, maxLines, maxBytes);
    this.customers = new CustomerIngest(this.store, chunk, maxLines, maxBytes);
    this.outcomes =
        new OutcomeIngest(this.store, new OutcomeStore(store), chunk, maxLines, maxBytes);
    this.products = new ProductIngest(this.store, chunk, maxLines, maxBytes);
    products.onBegin(r -> current = r);
    outcomes.onBegin(r -> current = r);
    transactions.onBegin(r -> current = r);
    customers.onBegin(r -> current = r);
    this.routes =
        RouteHost.start(
            settings,
            Map.of(
                "transactionIngest", transactions,
                "customerIngest", customers,
                "outcomeIngest", outcomes,
                "productIngest", products,
                "deadLetters", new DeadLetters()),
            Set.of("ingest-transactions-file", "ingest-customers-file", "ingest-outcomes-file",
                "ingest-products-file"));
  }

  public IngestReport ingestTransactions(Path file, TransactionFormat format) {
    return send(ingest.transactionsFrom(), file, format.id());
  }

  /** Ingests an outcomes CSV (decision_id, responded, purchased, revenue, ...) through {@code ingest-outcomes-file}. */
  public IngestReport ingestOutcomes(Path file) {
    return send(ingest.outcomesFrom(), file, "outcomes");
  }

  /**
   * Ingests a product catalogue CSV (product_id, description, unit_price, in_stock) through
   * {@code ingest-products-file}.
   */
  public IngestReport ingestProducts(Path file) {
    return send(settings.require("valuetier.ingest.products.from"), file, "products");
  }

  public IngestReport ingestCustomers(Path file) {
    return send(ingest.customersFrom(), file, "customers");
  }

  /**
   * Ingests the file unless a completed run already ingested exactly this content (same SHA-256) with the same
   * layout: ingest is idempotent, so the earlier run's accounting stands and the work is skipped. The report's status
   * is then {@code UNCHANGED}.
   */
  public IngestReport ingestTransactionsIfChanged(Path file, TransactionFormat format) {
    IngestReport earlier = store.runs().completedRun(SourceFile.of(file).fingerprint(), format.id());
    return earlier != null ? earlier : ingestTransactions(file, format);
  }

  /** As {@link #ingestTransactionsIfChanged}, for customer facts. */
  public IngestReport ingestCustomersIfChanged(Path file) {
    IngestReport earlier = store.runs().completedRun(SourceFile.of(file).fingerprint(), "customers");
    return earlier != null ? earlier : ingestCustomers(file);
  }

  /**
   * Ingests the rows of the configured source query ({@code valuetier.ingest.jdbc.*}) through the route
   * {@code ingest-transactions-jdbc}.
   */
  public IngestReport ingestJdbc() {
    String url = ingest.jdbcUrl();
    if (url == null) {
      throw new IngestException(
          "no source database: set valuetier.ingest.jdbc.url (or VALUETIER_INGEST_JDBC_URL, or --jdbc-url)");
    }
    HikariConfig cfg = new HikariConfig();
    cfg.setJdbcUrl(url);
    cfg.setUsername(ingest.jdbcUser());
    cfg.setPassword(ingest.jdbcPassword());
    cfg.setMaximumPoolSize(2);
    cfg.setPoolName("valuetier-source");
    cfg.setReadOnly(true);
    try (HikariDataSource source = new HikariDataSource(cfg);
        RouteHost jdbcRoutes =
            RouteHost.start(
                settings,
                Map.of("transactionIngest", transactions, "sourceDataSource", source, "deadLetters", new DeadLetters()),
                Set.of("ingest-transactions-jdbc"))) {
      return send(jdbcRoutes, ingest.jdbcFrom(), null, "canonical");
    } catch (RuntimeException e) {
      if (e instanceof IngestException) {
        throw e;
      }
      throw new IngestException("cannot read the source database " + Store.redact(url) + ": "
          + e.getMessage(), e);
    }
  }

  private IngestReport send(String endpoint, Path file, String format) {
    return send(routes, endpoint, file, format);
  }

  private IngestReport send(RouteHost host, String endpoint, Path file, String format) {
    Exchange ex =
        host.template().request(
            endpoint,
            e -> {
              if (file != null) {
                e.getMessage().setHeader(RecordIngest.HEADER_FILE, file.toString());
              }
              e.getMessage().setHeader(RecordIngest.HEADER_FORMAT, format);
            });
    if (ex.getMessage().getBody() instanceof IngestReport r && ex.getException() == null) {
      return r;
    }
    IngestRun run = ex.getProperty(IngestRun.PROPERTY, IngestRun.class);
    Throwable cause = ex.getException() != null ? ex.getException() : ex.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
    String why = ex.getMessage().getHeader(DeadLetters.HEADER_REASON, String.class);
    if (why == null && cause != null) {
      why = cause.getMessage();
    }
    if (run == null) {
      // Failed before the run opened: the file or its header is unusable.
      if (cause instanceof IngestException ie) {
        throw ie;
      }
      throw new IngestException("cannot ingest " + (file == null ? endpoint : file) + ": " + why, cause);
    }
    run.fail(why == null ? "the route stopped without a result" : why);
    return RecordIngest.close(run, "FAILED", store);
  }

  /** The run in progress, or the last one; {@code null} before the first. */
  public IngestRun current() {
    return current;
  }

  public IngestStore store() {
    return store;
  }

  @Override
  public void close() {
    routes.close();
  }
}
