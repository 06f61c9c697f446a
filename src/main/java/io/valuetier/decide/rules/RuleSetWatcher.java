package io.valuetier.decide.rules;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches {@code dmn/}, {@code dmn/tests/} and {@code rules/} of a registry's root (and of its challenger's folder, when
 * one is configured) and reloads when files change,
 * after {@code debounceMs} without further changes (an editor saves in several writes). For long-running processes;
 * every outcome, activated or refused, goes to the listener.
 */
public final class RuleSetWatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RuleSetWatcher.class);

  private final RuleSetRegistry registry;
  private final WatchService watch;
  private final Thread thread;
  private volatile boolean closed;

  public RuleSetWatcher(RuleSetRegistry registry, long debounceMs, Consumer<RuleSetRegistry.RuleSetChange> listener) {
    this.registry = registry;
    try {
      this.watch = FileSystems.getDefault().newWatchService();
      List<Path> roots = new ArrayList<>(List.of(registry.root()));
      registry.challengerDir().ifPresent(roots::add);
      for (Path root : roots) {
        for (String dir : List.of(RuleFiles.DMN_DIR, RuleFiles.TESTS_DIR, RuleFiles.RULES_DIR)) {
          Path d = root.resolve(dir);
          if (Files.isDirectory(d)) {
            d.register(watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                StandardWatchEventKinds.ENTRY_DELETE);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot watch the rule folders under " + registry.root() + ": " + e.getMessage(), e);
    }
    this.thread = Thread.ofPlatform().daemon().name("rule-watcher").start(() -> loop(debounceMs, listener));
  }

  private void loop(long debounceMs, Consumer<RuleSetRegistry.RuleSetChange> listener) {
    try {
      while (!closed) {
        WatchKey key = watch.take();
        drain(key);
        // Quiet period: keep draining until nothing changed for debounceMs.
        WatchKey more;
        while ((more = watch.poll(debounceMs, TimeUnit.MILLISECONDS)) != null) {
          drain(more);
        }
        try {
          listener.accept(registry.reload());
        } catch (RuntimeException e) {
          LOG.error("reload after a file change failed; the active rule set stays: {}", e.getMessage(), e);
        }
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void drain(WatchKey key) {
    key.pollEvents();
    key.reset();
  }

  @Override
  public void close() {
    closed = true;
    try {
      watch.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    thread.interrupt();
    try {
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
