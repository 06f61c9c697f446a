package io.valuetier.cli;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The memory of this JVM in words and figures: the heap limit and collector it runs with (the launcher chooses them,
 * see {@code valuetier}); the peaks are {@link io.valuetier.util.ProcessMemory}'s.
 */
final class JvmMemory {
  /** The system property the launcher sets to the rule it applied. */
  static final String RULE_PROPERTY = "valuetier.jvm.rule";

  private JvmMemory() {}

  /** The lines {@code valuetier --help} ends with. */
  static List<String> helpLines() {
    String rule = System.getProperty(RULE_PROPERTY);
    return List.of(
        "",
        String.format(Locale.ROOT, "JVM: max heap %.1f GiB, %s collector (%s).", maxHeapSize() / 1073741824.0,
            collectors(), rule == null || rule.isBlank() ? "not started by the valuetier launcher" : "launcher rule, " + rule),
        "The launcher gives the JVM half of the memory limit (cgroup or machine), at most 3 GiB and at least 256 MiB,"
            + " and the Parallel collector (ZGC for serve); VALUETIER_JAVA_OPTS=-Xmx8g (or -XX:+UseG1GC) overrides it.");
  }

  /**
   * The heap limit as set ({@code -Xmx}, the JVM option MaxHeapSize); {@link Runtime#maxMemory()} is smaller by a
   * survivor space with the Parallel collector.
   */
  static long maxHeapSize() {
    HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    if (hotspot != null) {
      try {
        return Long.parseLong(hotspot.getVMOption("MaxHeapSize").getValue());
      } catch (RuntimeException e) {
        // not HotSpot: what the runtime says
      }
    }
    return Runtime.getRuntime().maxMemory();
  }

  /** The collectors' names, e.g. {@code PS Scavenge + PS MarkSweep}. */
  static String collectors() {
    return ManagementFactory.getGarbageCollectorMXBeans().stream()
        .map(GarbageCollectorMXBean::getName).collect(Collectors.joining(" + "));
  }
}
