package io.valuetier.routes;

import io.valuetier.act.ActionRecord;
import io.valuetier.config.Settings;
import io.valuetier.testing.TestStores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.AdviceWithRouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.util.function.ThrowingConsumer;

/**
 * What the route tests share: the repository's settings (its real {@code routes/} folder) with an H2 store and a
 * dead-letter folder in the test's temporary folder and short retries, and the start of the named route files the
 * way the commands start them ({@link RouteHost}), advised before they start.
 */
final class RouteKit {
  /** Retries of the shared error handling in route tests: the count is checked, the back-off kept short. */
  static final int REDELIVERIES = 2;

  private RouteKit() {}

  static Settings settings(Path work, Map<String, String> more) {
    Map<String, String> m = new HashMap<>(more);
    m.putIfAbsent("valuetier.errors.max-redeliveries", String.valueOf(REDELIVERIES));
    m.putIfAbsent("valuetier.errors.redelivery-delay-ms", "1");
    return TestStores.settings(TestStores.h2Url(work), work, m);
  }

  /** The repository checkout, whose {@code routes/} folder the tests load. */
  static Path home() {
    return TestStores.home();
  }

  /** Starts the route files (with error-handling and dead-letter, as always) after {@code advice} saw the context. */
  static RouteHost start(Settings settings, Map<String, Object> beans, Set<String> files, boolean http,
      ThrowingConsumer<CamelContext, Exception> advice) {
    Map<String, Object> all = new HashMap<>(beans);
    all.putIfAbsent("deadLetters", new DeadLetters());
    return RouteHost.start(settings, all, files, http, advice);
  }

  /** Advises one route: the route builder of Camel's test kit, applied before the context starts. */
  static void advise(CamelContext ctx, String routeId, ThrowingConsumer<AdviceWithRouteBuilder, Exception> advice)
      throws Exception {
    AdviceWith.adviceWith(ctx, routeId, advice);
  }

  /** Puts {@code mock:dead-letter} first in the real dead-letter route, which still writes its file. */
  static void watchDeadLetters(CamelContext ctx) throws Exception {
    advise(ctx, "dead-letter", a -> a.weaveAddFirst().to("mock:dead-letter"));
  }

  static MockEndpoint mock(RouteHost host, String name) {
    return host.context().getEndpoint("mock:" + name, MockEndpoint.class);
  }

  /** The files written to the dead-letter folder of the settings from {@link #settings}. */
  static List<Path> deadLetterFiles(Path work) {
    Path dir = work.resolve("deadletter");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(Files::isRegularFile).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Actions {@code d-first} .. {@code d-(first+n-1)}, alternating two action codes; all contacts unless control. */
  static List<ActionRecord> actions(int first, int n, boolean controlGroup) {
    List<ActionRecord> list = new ArrayList<>();
    for (int i = first; i < first + n; i++) {
      list.add(new ActionRecord("d-" + i, "c" + i, "Gold", i % 2 == 0 ? "VIP_CALL" : "VOUCHER_10",
          controlGroup ? null : "email", controlGroup ? null : "10% off", 1, new BigDecimal("123.45"), "top value",
          "rs-1", "gbt-1", Instant.parse("2026-11-28T10:00:00Z"), controlGroup));
    }
    return list;
  }

  /** Whether {@code file} exists within 5 s (the file consumer moves a file once the exchange is done). */
  static boolean appears(Path file) throws InterruptedException {
    for (int i = 0; i < 100 && !Files.exists(file); i++) {
      Thread.sleep(50);
    }
    return Files.exists(file);
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
