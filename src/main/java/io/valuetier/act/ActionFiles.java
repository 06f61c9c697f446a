package io.valuetier.act;

import com.fasterxml.jackson.core.type.TypeReference;
import io.valuetier.util.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;

/**
 * The file destination's step: turns a batch into the text to append to one CSV file per action (with its header
 * when the file is new) and to one JSON Lines file, in a folder per decision run. Customers held out of an action as
 * its control group go to {@code ACTION.control-group.csv}, never to {@code ACTION.csv}: whoever sends the action to
 * everyone in its file cannot contact them by mistake, and the file is the action's comparison group.
 */
public final class ActionFiles {
  /** One piece of text to append to one file (relative to the output folder). */
  public record Part(String fileName, String text) {}

  /** The ending of the file of an action's control group. */
  public static final String CONTROL_GROUP_SUFFIX = ".control-group.csv";

  private final Path folder;
  /** Decision ids in each run folder's actions.jsonl when this process first wrote there. */
  private final Map<String, java.util.Set<String>> written = new java.util.concurrent.ConcurrentHashMap<>();
  private static final java.util.regex.Pattern DECISION_ID =
      java.util.regex.Pattern.compile("\"decision_id\"\\s*:\\s*\"([^\"]*)\"");

  public ActionFiles(Path folder) {
    this.folder = folder;
  }

  /**
   * The decisions already written to a run's folder. The delivery log in the store normally says what was written;
   * when a batch was appended but its delivery could not be recorded (the database went away at that moment), the
   * files themselves say so, and a re-run does not append it twice.
   */
  private java.util.Set<String> written(String dir) {
    return written.computeIfAbsent(dir, d -> {
      java.util.Set<String> ids = java.util.concurrent.ConcurrentHashMap.newKeySet();
      Path jsonl = folder.resolve(d + "actions.jsonl");
      if (Files.exists(jsonl)) {
        try (var lines = Files.lines(jsonl, java.nio.charset.StandardCharsets.UTF_8)) {
          lines.forEach(l -> {
            var m = DECISION_ID.matcher(l);
            if (m.find()) {
              ids.add(m.group(1));
            }
          });
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException("cannot read " + jsonl + ": " + e.getMessage(), e);
        }
      }
      return ids;
    });
  }

  public List<Part> parts(String json, Exchange exchange) throws Exception {
    String run = exchange.getMessage().getHeader(ActionPublisher.HEADER_RUN, String.class);
    String dir = run == null ? "" : safe(run) + "/";
    java.util.Set<String> already = written(dir);
    List<ActionRecord> batch = new ArrayList<>();
    for (ActionRecord a : Json.MAPPER.readValue(json, new TypeReference<List<ActionRecord>>() {})) {
      if (!already.contains(a.decisionId())) { // what this process writes, the delivery log guards
        batch.add(a);
      }
    }
    if (batch.isEmpty()) {
      return List.of();
    }
    Map<String, StringBuilder> csv = new LinkedHashMap<>();
    StringBuilder jsonl = new StringBuilder();
    for (ActionRecord a : batch) {
      String name = dir + safe(a.action()) + (a.controlGroup() ? CONTROL_GROUP_SUFFIX : ".csv");
      StringBuilder sb = csv.get(name);
      if (sb == null) {
        sb = new StringBuilder();
        if (!Files.exists(folder.resolve(name))) {
          sb.append(ActionRecord.CSV_HEADER).append('\n');
        }
        csv.put(name, sb);
      }
      sb.append(a.csvLine()).append('\n');
      jsonl.append(Json.write(a)).append('\n');
    }
    List<Part> parts = new ArrayList<>();
    csv.forEach((k, v) -> parts.add(new Part(k, v.toString())));
    parts.add(new Part(dir + "actions.jsonl", jsonl.toString()));
    return parts;
  }

  /** A file-system-safe name: letters, digits, dash and underscore. */
  static String safe(String s) {
    String t = s == null || s.isBlank() ? "NONE" : s;
    return t.replaceAll("[^A-Za-z0-9_-]", "_");
  }
}
