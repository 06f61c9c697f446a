package io.valuetier.act;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.valuetier.util.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.camel.Exchange;

/**
 * The file destination's step: turns a batch into the text to append to one CSV file per action (with its header
 * when the file is new) and to one JSON Lines file, in a folder per decision run ({@code STORE-SHORT/run-N}: the
 * store's identity is part of the name, so two databases never write to one folder). A folder that already holds other
 * decisions under the run's name is refused with {@link FolderTakenException}, never appended to or skipped silently.
 * Customers held out of an action as
 * its control group go to {@code ACTION.control-group.csv}, never to {@code ACTION.csv}: whoever sends the action to
 * everyone in its file cannot contact them by mistake, and the file is the action's comparison group.
 */
public final class ActionFiles {
  /** One piece of text to append to one file (relative to the output folder). */
  public record Part(String fileName, String text) {}

  /** The ending of the file of an action's control group. */
  public static final String CONTROL_GROUP_SUFFIX = ".control-group.csv";

  /**
   * A run folder that already holds other decisions under the run's name (another store's, or a database that was
   * copied or recreated): appending would mix two runs in one file, skipping would publish nothing. Not retried.
   */
  public static final class FolderTakenException extends IllegalArgumentException {
    FolderTakenException(String message) {
      super(message);
    }
  }

  private final Path folder;
  /** What each run folder's actions.jsonl held when this process first wrote there: decision id to who and when. */
  private final Map<String, Map<String, String>> written = new ConcurrentHashMap<>();
  /** Action code to its file-system-safe name. */
  private final Map<String, String> safeNames = new ConcurrentHashMap<>();

  public ActionFiles(Path folder) {
    this.folder = folder;
  }

  /**
   * The decisions already written to a run's folder. The delivery log in the store normally says what was written;
   * when a batch was appended but its delivery could not be recorded (the database went away at that moment), the
   * files themselves say so, and a re-run does not append it twice.
   */
  private Map<String, String> written(String dir) {
    return written.computeIfAbsent(dir, d -> {
      Map<String, String> ids = new ConcurrentHashMap<>();
      Path jsonl = folder.resolve(d + "actions.jsonl");
      if (Files.exists(jsonl)) {
        try (var lines = Files.lines(jsonl, StandardCharsets.UTF_8)) {
          lines.filter(l -> !l.isBlank()).forEach(l -> {
            try {
              ActionRecord a = Json.MAPPER.readValue(l, ActionRecord.class);
              ids.put(a.decisionId(), identity(a));
            } catch (JsonProcessingException e) {
              throw new FolderTakenException(jsonl + " holds a line that is not an action (" + e.getOriginalMessage()
                  + "): it was not written by this run; move the folder away (or set valuetier.publish.folder)"
                  + " and run again");
            }
          });
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read " + jsonl + ": " + e.getMessage(), e);
        }
      }
      return ids;
    });
  }

  /** What makes a decision this run's and not another's of the same id: the customer and the moment. */
  private static String identity(ActionRecord a) {
    return "customer " + a.customerId() + " decided at " + a.decidedAt();
  }

  /** The text to append to each file for a batch: its records or their JSON array ({@link ActionPublisher#records}). */
  public List<Part> parts(Object body, Exchange exchange) throws Exception {
    String run = exchange.getMessage().getHeader(ActionPublisher.HEADER_RUN, String.class);
    String dir = run == null ? "" : folderOf(run) + "/";
    Map<String, String> already = written(dir);
    List<ActionRecord> batch = new ArrayList<>();
    for (ActionRecord a : ActionPublisher.records(body)) {
      String there = already.get(a.decisionId());
      if (there == null) { // what this process writes, the delivery log guards
        batch.add(a);
      } else if (!there.equals(identity(a))) {
        throw new FolderTakenException(folder.resolve(dir) + " already holds other decisions under the name of run "
            + run + ": decision " + a.decisionId() + " there is for " + there + ", in this run for " + identity(a)
            + " (another store's run, or a database copied or created again). Nothing was written; move the folder"
            + " away (or set valuetier.publish.folder) and run again");
      }
    }
    if (batch.isEmpty()) {
      return List.of();
    }
    // each record's CSV line and JSON line made on every core (a third of publish at a million customers, on one
    // core before), then appended in the batch's order
    String[] csvLines = new String[batch.size()];
    String[] jsonLines = new String[batch.size()];
    IntStream.range(0, batch.size()).parallel().forEach(i -> {
      csvLines[i] = batch.get(i).csvLine();
      jsonLines[i] = Json.write(batch.get(i));
    });
    Map<String, StringBuilder> csv = new LinkedHashMap<>();
    StringBuilder jsonl = new StringBuilder();
    for (int i = 0; i < batch.size(); i++) {
      ActionRecord a = batch.get(i);
      String name = dir + safeNames.computeIfAbsent(a.action() == null ? "" : a.action(), ActionFiles::safe)
          + (a.controlGroup() ? CONTROL_GROUP_SUFFIX : ".csv");
      StringBuilder sb = csv.get(name);
      if (sb == null) {
        sb = new StringBuilder();
        if (!Files.exists(folder.resolve(name))) {
          sb.append(ActionRecord.CSV_HEADER).append('\n');
        }
        csv.put(name, sb);
      }
      sb.append(csvLines[i]).append('\n');
      jsonl.append(jsonLines[i]).append('\n');
    }
    List<Part> parts = new ArrayList<>();
    csv.forEach((k, v) -> parts.add(new Part(k, v.toString())));
    parts.add(new Part(dir + "actions.jsonl", jsonl.toString()));
    return parts;
  }

  /** The folder of a decision run, relative to the output folder: each {@code /}-separated part made safe. */
  public static String folderOf(String run) {
    return Arrays.stream(run.split("/", -1)).map(ActionFiles::safe)
        .collect(Collectors.joining("/"));
  }

  /** A file-system-safe name: letters, digits, dash and underscore. */
  static String safe(String s) {
    String t = s == null || s.isBlank() ? "NONE" : s;
    return t.replaceAll("[^A-Za-z0-9_-]", "_");
  }
}
