package io.valuetier.model.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.valuetier.util.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The registry's log, {@code DIR/log/registry-log.jsonl}: one JSON object per line, appended, never rewritten. Every
 * training, retraining trigger, challenger, comparison (with its figures), promotion and refusal (with its reason) is
 * a line with {@code at} (UTC) and {@code event}.
 */
public final class RegistryLog {
  /** The log's path inside the registry folder. */
  public static final String FILE = "log/registry-log.jsonl";

  private final Path file;

  public RegistryLog(Path registryDir) {
    this.file = registryDir.resolve(FILE);
  }

  public Path file() {
    return file;
  }

  /** Appends one event (written and forced to disk before returning); returns the line as written. */
  public synchronized Map<String, Object> append(String event, Map<String, Object> details) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("at", Instant.now().toString());
    line.put("event", event);
    line.putAll(details);
    byte[] bytes = (Json.write(line) + "\n").getBytes(StandardCharsets.UTF_8);
    try {
      Files.createDirectories(file.getParent());
      try (FileChannel ch =
          FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
          ch.write(b);
        }
        ch.force(true);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to the registry log " + file + ": " + e.getMessage(), e);
    }
    return line;
  }

  /** Every event, oldest first (an empty list when nothing was logged yet). */
  public List<JsonNode> read() {
    List<JsonNode> out = new ArrayList<>();
    if (!Files.isRegularFile(file)) {
      return out;
    }
    try {
      for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (!l.isBlank()) {
          out.add(Json.MAPPER.readTree(l));
        }
      }
    } catch (IOException e) {
      throw new RegistryException(file + " cannot be read: " + e.getMessage(), e);
    }
    return out;
  }
}
