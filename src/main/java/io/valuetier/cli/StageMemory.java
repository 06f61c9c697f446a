package io.valuetier.cli;

import io.valuetier.util.ProcessMemory;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The peak heap and resident memory of each stage of a run: the heap pools' peaks and the kernel's resident
 * high-water mark ({@code VmHWM}, reset through {@code /proc/self/clear_refs}) are reset when a stage starts and read
 * when it ends. The whole run's peaks are the largest of the stages' and of the time between them.
 * Where the resident mark cannot be reset, a stage's resident peak is the process's peak so far.
 */
final class StageMemory {
  private final Map<String, Long> heap = new LinkedHashMap<>();
  private final Map<String, Long> resident = new LinkedHashMap<>();
  private long peakHeap;
  private long peakResident;

  /** Starts measuring now: what the process used before (an earlier run in the same JVM) is not counted. */
  StageMemory() {
    reset();
  }

  /** A stage starts: its peaks start from what is in use now. */
  synchronized void start() {
    peakHeap = Math.max(peakHeap, ProcessMemory.peakHeap());
    peakResident = Math.max(peakResident, ProcessMemory.peakResident());
    reset();
  }

  private static void reset() {
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      p.resetPeakUsage();
    }
    try {
      Files.writeString(Path.of("/proc/self/clear_refs"), "5");
    } catch (IOException | RuntimeException e) {
      // not Linux, or not allowed: the stage's resident peak is then the process's so far
    }
  }

  /** A stage ends: its peaks are kept under its name. */
  synchronized void done(String stage) {
    long h = ProcessMemory.peakHeap();
    long r = ProcessMemory.peakResident();
    heap.merge(stage, h, Math::max);
    resident.merge(stage, r, Math::max);
    peakHeap = Math.max(peakHeap, h);
    peakResident = Math.max(peakResident, r);
  }

  /** The figures as {@code run --json} and {@code bench-run --json} give them. */
  synchronized Map<String, Object> asMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("peak_heap_bytes", Math.max(peakHeap, ProcessMemory.peakHeap()));
    m.put("max_heap_bytes", JvmMemory.maxHeapSize());
    m.put("peak_resident_bytes", Math.max(peakResident, ProcessMemory.peakResident()));
    m.put("stage_peak_heap_bytes", new LinkedHashMap<>(heap));
    m.put("stage_peak_resident_bytes", new LinkedHashMap<>(resident));
    m.put("gc", JvmMemory.collectors());
    m.put("cores", Runtime.getRuntime().availableProcessors());
    m.put("load_average", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    return m;
  }
}
