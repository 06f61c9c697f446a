package io.valuetier.api;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The server's metrics in the Prometheus text format: decisions (per tier and action), request latency as a
 * histogram, rule-row hits, reloads and errors. Lock-free counters, cheap enough for every request.
 */
public final class ServerMetrics {
  private static final double[] BUCKETS_MS = {0.5, 1, 2, 5, 10, 20, 50, 100, 250, 1000};

  private final LongAdder decisions = new LongAdder();
  private final Map<String, LongAdder> tiers = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> actions = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> ruleHits = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> reloads = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> responses = new ConcurrentHashMap<>();
  private final LongAdder[] latencyBuckets = new LongAdder[BUCKETS_MS.length + 1];
  private final LongAdder latencyCount = new LongAdder();
  private final AtomicLong latencySumMicros = new AtomicLong();
  private final long started = System.nanoTime();

  public ServerMetrics() {
    for (int i = 0; i < latencyBuckets.length; i++) {
      latencyBuckets[i] = new LongAdder();
    }
  }

  public void decision(String tier, String action) {
    decisions.increment();
    tiers.computeIfAbsent(tier == null ? "none" : tier, k -> new LongAdder()).increment();
    actions.computeIfAbsent(action == null ? "none" : action, k -> new LongAdder()).increment();
  }

  public void ruleHit(String rule) {
    ruleHits.computeIfAbsent(rule, k -> new LongAdder()).increment();
  }

  public void reload(String outcome) {
    reloads.computeIfAbsent(outcome, k -> new LongAdder()).increment();
  }

  /** One answered request: its route, status and latency. */
  public void request(String route, int status, long nanos) {
    responses.computeIfAbsent(route + "|" + status, k -> new LongAdder()).increment();
    double ms = nanos / 1e6;
    int b = 0;
    while (b < BUCKETS_MS.length && ms > BUCKETS_MS[b]) {
      b++;
    }
    latencyBuckets[b].increment();
    latencyCount.increment();
    latencySumMicros.addAndGet(nanos / 1000);
  }

  public long decisions() {
    return decisions.sum();
  }

  /** The metrics in the Prometheus text exposition format 0.0.4. */
  public String prometheus() {
    StringBuilder sb = new StringBuilder();
    double uptime = (System.nanoTime() - started) / 1e9;
    sb.append("# HELP valuetier_uptime_seconds Seconds since the server started.\n");
    sb.append("# TYPE valuetier_uptime_seconds gauge\n");
    sb.append("valuetier_uptime_seconds ").append(fmt(uptime)).append('\n');
    sb.append("# HELP valuetier_decisions_total Decisions made by this server.\n");
    sb.append("# TYPE valuetier_decisions_total counter\n");
    sb.append("valuetier_decisions_total ").append(decisions.sum()).append('\n');
    sb.append("# HELP valuetier_decisions_per_second Decisions per second since the server started.\n");
    sb.append("# TYPE valuetier_decisions_per_second gauge\n");
    sb.append("valuetier_decisions_per_second ").append(fmt(uptime > 0 ? decisions.sum() / uptime : 0)).append('\n');
    labelled(sb, "valuetier_decisions_by_tier_total", "Decisions per value tier (the tier mix).", "tier", tiers);
    labelled(sb, "valuetier_decisions_by_action_total", "Decisions per marketing action.", "action", actions);
    labelled(sb, "valuetier_rule_hits_total", "Decision-table rows matched.", "rule", ruleHits);
    labelled(sb, "valuetier_rule_reloads_total", "Rule reloads by outcome (activated, refused, rolled_back).", "outcome", reloads);
    sb.append("# HELP valuetier_http_responses_total HTTP responses by route and status.\n");
    sb.append("# TYPE valuetier_http_responses_total counter\n");
    new TreeMap<>(responses).forEach((k, v) -> {
      String[] p = k.split("\\|", 2);
      sb.append("valuetier_http_responses_total{route=\"").append(esc(p[0])).append("\",status=\"").append(p[1])
          .append("\"} ").append(v.sum()).append('\n');
    });
    sb.append("# HELP valuetier_request_latency_seconds Latency of API requests.\n");
    sb.append("# TYPE valuetier_request_latency_seconds histogram\n");
    long cumulative = 0;
    for (int i = 0; i < BUCKETS_MS.length; i++) {
      cumulative += latencyBuckets[i].sum();
      sb.append("valuetier_request_latency_seconds_bucket{le=\"").append(fmt(BUCKETS_MS[i] / 1000)).append("\"} ")
          .append(cumulative).append('\n');
    }
    cumulative += latencyBuckets[BUCKETS_MS.length].sum();
    sb.append("valuetier_request_latency_seconds_bucket{le=\"+Inf\"} ").append(cumulative).append('\n');
    sb.append("valuetier_request_latency_seconds_sum ").append(fmt(latencySumMicros.get() / 1e6)).append('\n');
    sb.append("valuetier_request_latency_seconds_count ").append(latencyCount.sum()).append('\n');
    return sb.toString();
  }

  private static void labelled(StringBuilder sb, String name, String help, String label, Map<String, LongAdder> m) {
    sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
    sb.append("# TYPE ").append(name).append(" counter\n");
    new TreeMap<>(m).forEach((k, v) ->
        sb.append(name).append('{').append(label).append("=\"").append(esc(k)).append("\"} ").append(v.sum()).append('\n'));
  }

  private static String esc(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  private static String fmt(double d) {
    return String.format(Locale.ROOT, "%.6g", d);
  }
}
