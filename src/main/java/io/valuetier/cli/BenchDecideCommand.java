package io.valuetier.cli;

import com.sun.management.OperatingSystemMXBean;
import io.valuetier.config.Settings;
import io.valuetier.decide.BatchDecider;
import io.valuetier.decide.DecideSettings;
import io.valuetier.decide.DecisionEngine;
import io.valuetier.decide.DecisionInput;
import io.valuetier.bench.SyntheticPopulation;
import io.valuetier.decide.DecisionInputs;
import io.valuetier.decide.dmn.TieringModel;
import io.valuetier.decide.guardrails.BudgetLedger;
import io.valuetier.decide.guardrails.GuardrailParameters;
import io.valuetier.decide.rules.RuleFiles;
import io.valuetier.decide.rules.RuleSet;
import io.valuetier.decide.rules.RuleSetCompiler;
import io.valuetier.decide.trace.DecisionLog;
import io.valuetier.store.Store;
import io.valuetier.util.Json;
import java.io.IOException;
import java.io.StringReader;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.kie.api.io.Resource;
import org.kie.dmn.api.core.DMNModel;
import org.kie.dmn.api.core.DMNResult;
import org.kie.dmn.api.core.DMNRuntime;
import org.kie.dmn.core.compiler.RuntimeTypeCheckOption;
import org.kie.dmn.core.internal.utils.DMNRuntimeBuilder;
import org.kie.internal.io.ResourceFactory;
import org.kie.kogito.dmn.DmnDecisionModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code valuetier bench-decide}: the raw engine ({@code DmnDecisionModel} alone on the same model and inputs) against
 * the batch end to end (read from H2, DMN with row capture, guardrails, budget pass, decision and trace writes), in the
 * same run on a fresh embedded database.
 */
@Command(name = "bench-decide", header = "Benchmarks the decisions, with and without guardrails and traces.", mixinStandardHelpOptions = true,
    description = "Benchmarks decisions: raw DmnDecisionModel vs end to end with guardrails and trace writes to H2.")
public final class BenchDecideCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(paramLabel = "N", names = "--customers", description = "Synthetic scored customers (default 1000000).")
  int customers = 1_000_000;

  @Option(paramLabel = "N", names = "--threads", description = "Threads for both measurements (default: one per core).")
  Integer threads;

  @Option(paramLabel = "N", names = "--seed", description = "Seed of the synthetic population (default 42).")
  long seed = 42;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    Settings base = common.settings();
    Path dir = base.home().resolve("data/runtime/bench/decide-" + System.currentTimeMillis());
    Files.createDirectories(dir);
    String url = "jdbc:h2:file:" + dir.resolve("bench").toAbsolutePath()
        + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;CASE_INSENSITIVE_IDENTIFIERS=TRUE";
    Settings s = base.with(Map.of("valuetier.db.url", url));
    int t = threads != null ? threads : Runtime.getRuntime().availableProcessors();
    Map<String, Object> out = new LinkedHashMap<>();
    try (Store store = common.openStore(s)) {
      long t0 = System.nanoTime();
      SyntheticPopulation.write(store, customers, seed);
      out.put("setup_seconds", secs(t0));
      DecideSettings decide = DecideSettings.from(s);
      RuleFiles files = RuleFiles.read(decide.ruleSetDir());
      RuleSetCompiler.Result compiled = RuleSetCompiler.compile(files);
      if (!compiled.ok()) {
        DecideSetup.print(compiled.errors(), System.err);
        return 1;
      }
      RuleSet rs = compiled.ruleSet();
      DecisionLog decisions = decide.decisionLog(store);
      List<DecisionInput> inputs = new ArrayList<>(customers);
      new DecisionInputs(store).readInputs(Map.of(), inputs::add);

      DmnDecisionModel raw = rawModel(files);
      measureRaw(raw, inputs.subList(0, Math.min(inputs.size(), 200_000)), t); // warm-up
      double cpu0 = cpuSeconds();
      double rawSeconds = measureRaw(raw, inputs, t);
      double rawCpu = cpuSeconds() - cpu0;
      inputs = null; // the batch reads its own inputs from the store
      var opts = BatchDecider.Options.from(decide, t, false);
      BatchDecider batch = new BatchDecider(new DecisionEngine(rs, decide.guardrails()), decisions, opts);
      double cpu1 = cpuSeconds();
      BatchDecider.Report r = batch.run();
      double e2eCpu = cpuSeconds() - cpu1;
      long stored = store.queryLong("SELECT COUNT(*) FROM decisions");
      out.put("single_decision_latency_microseconds", singleDecisionLatency(rs, decisions, decide.guardrails()));
      out.put("customers", customers);
      out.put("threads", t);
      out.put("cores", Runtime.getRuntime().availableProcessors());
      out.put("raw_dmn_decisions_per_second", Math.round(customers / rawSeconds));
      out.put("decisions", r.decisions());
      out.put("decisions_per_second", Math.round(r.decisionsPerSecond()));
      out.put("end_to_end_seconds", r.seconds());
      out.put("ratio_end_to_end_to_raw", Math.round(r.decisionsPerSecond() / (customers / rawSeconds) * 1000) / 1000.0);
      // CPU time per decision depends far less on other processes than decisions/s does: on a shared machine it is
      // the figure to compare, and cores / CPU per decision estimates the rate on an idle machine.
      out.put("raw_cpu_microseconds_per_decision", Math.round(rawCpu / customers * 1e7) / 10.0);
      out.put("end_to_end_cpu_microseconds_per_decision", Math.round(e2eCpu / customers * 1e7) / 10.0);
      out.put("end_to_end_decisions_per_second_if_cores_were_idle",
          Math.round(Runtime.getRuntime().availableProcessors() / (e2eCpu / customers)));
      out.put("raw_decisions_per_second_if_cores_were_idle",
          Math.round(Runtime.getRuntime().availableProcessors() / (rawCpu / customers)));
      out.put("decisions_stored", stored);
      out.put("contacts_logged", store.queryLong("SELECT COUNT(*) FROM contact_log"));
      out.put("load_average_at_end", loadAverage());
      out.put("summary", DecideCommand.asJson(r));
    } finally {
      deleteTree(dir);
    }
    if (json) {
      System.out.println(Json.write(out));
    } else {
      System.out.printf(Locale.ROOT, "customers %,d, threads %d, cores %d%n", customers, (Integer) out.get("threads"),
          (Integer) out.get("cores"));
      System.out.printf(Locale.ROOT, "raw DmnDecisionModel          %,10d decisions/s%n",
          (Long) out.get("raw_dmn_decisions_per_second"));
      System.out.printf(Locale.ROOT, "end to end (guardrails+trace) %,10d decisions/s  (%.2f x raw)%n",
          (Long) out.get("decisions_per_second"), (Double) out.get("ratio_end_to_end_to_raw"));
      System.out.printf(Locale.ROOT, "CPU per decision: raw %.1f us, end to end %.1f us (idle-core estimate %,d/s vs %,d/s)%n",
          (Double) out.get("raw_cpu_microseconds_per_decision"), (Double) out.get("end_to_end_cpu_microseconds_per_decision"),
          (Long) out.get("raw_decisions_per_second_if_cores_were_idle"),
          (Long) out.get("end_to_end_decisions_per_second_if_cores_were_idle"));
      System.out.println("one customer at a time (us): " + out.get("single_decision_latency_microseconds"));
      System.out.printf(Locale.ROOT, "decisions stored %,d, contacts logged %,d, load average %s%n",
          (Long) out.get("decisions_stored"), (Long) out.get("contacts_logged"), out.get("load_average_at_end"));
    }
    return 0;
  }

  /** The same DMN files on a plain runtime with type checking, no listener: the engine alone. */
  private static DmnDecisionModel rawModel(RuleFiles files) {
    List<Resource> resources = new ArrayList<>();
    files.in(RuleFiles.DMN_DIR, ".dmn").forEach((path, xml) -> {
      Resource r = ResourceFactory.newReaderResource(new StringReader(xml), "UTF-8");
      r.setSourcePath(path);
      resources.add(r);
    });
    DMNRuntime runtime = DMNRuntimeBuilder.fromDefaults().setOption(new RuntimeTypeCheckOption(true))
        .buildConfiguration().fromResources(resources).getOrElseThrow(e -> new IllegalStateException(e));
    DMNModel m = runtime.getModels().stream().filter(x -> x.getDecisionByName("Value Tier") != null).findFirst()
        .orElseThrow();
    return new DmnDecisionModel(runtime, m.getNamespace(), m.getName());
  }

  private static double measureRaw(DmnDecisionModel model, List<DecisionInput> inputs, int threads)
      throws InterruptedException {
    AtomicInteger next = new AtomicInteger();
    AtomicInteger errors = new AtomicInteger();
    long t0 = System.nanoTime();
    List<Thread> ts = new ArrayList<>();
    for (int k = 0; k < threads; k++) {
      ts.add(Thread.ofPlatform().start(() -> {
        int i;
        while ((i = next.getAndAdd(1000)) < inputs.size()) {
          for (int j = i; j < Math.min(inputs.size(), i + 1000); j++) {
            DMNResult res = model.evaluateAll(model.newContext(TieringModel.inputs(inputs.get(j))));
            if (res.hasErrors()) {
              errors.incrementAndGet();
            }
          }
        }
      }));
    }
    for (Thread th : ts) {
      th.join();
    }
    if (errors.get() > 0) {
      throw new IllegalStateException(errors.get() + " raw evaluations failed");
    }
    return secs(t0);
  }

  /**
   * Latency of deciding one customer at a time as an online caller would (DMN, guardrails, budget, decision with
   * trace), without and with recording it: median and 99th percentile in microseconds, one thread.
   */
  private static Map<String, Object> singleDecisionLatency(RuleSet rs, DecisionLog decisions,
      GuardrailParameters params) {
    List<DecisionInput> sample = new ArrayList<>();
    new DecisionInputs(decisions.store()).readInputs(Map.of(), in -> {
      if (sample.size() < 20_000) {
        sample.add(in);
      }
    });
    DecisionEngine engine = new DecisionEngine(rs, params);
    var ledger = new BudgetLedger(null);
    long[] plain = new long[sample.size()];
    for (int i = 0; i < sample.size(); i++) {
      long t0 = System.nanoTime();
      engine.decideOne(sample.get(i), ledger, i, Instant.now());
      plain[i] = System.nanoTime() - t0;
    }
    long run = decisions.startRun("BENCH", rs.version());
    int recordedN = Math.min(2000, sample.size());
    long[] recorded = new long[recordedN];
    for (int i = 0; i < recordedN; i++) {
      long t0 = System.nanoTime();
      var d = engine.decideOne(sample.get(i), ledger, DecisionLog.firstDecisionId(run) + i, Instant.now());
      decisions.write(List.of(d), run);
      recorded[i] = System.nanoTime() - t0;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("decide_only_median", percentile(plain, 0.5));
    m.put("decide_only_p99", percentile(plain, 0.99));
    m.put("decide_and_record_median", percentile(recorded, 0.5));
    m.put("decide_and_record_p99", percentile(recorded, 0.99));
    return m;
  }

  private static double percentile(long[] nanos, double q) {
    long[] s = nanos.clone();
    Arrays.sort(s);
    return s.length == 0 ? 0 : Math.round(s[(int) Math.min(s.length - 1, Math.floor(q * s.length))] / 100.0) / 10.0;
  }

  /** CPU time of this process so far (all threads, including GC and JIT). */
  private static double cpuSeconds() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof OperatingSystemMXBean sun) {
      return sun.getProcessCpuTime() / 1e9;
    }
    return Double.NaN;
  }

  private static double secs(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).strip();
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
