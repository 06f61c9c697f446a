package io.valuetier.stream;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.valuetier.records.RejectReason;
import io.valuetier.util.Excerpt;
import io.valuetier.util.Json;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;

/**
 * The steps of route {@code kafka-events-in}: a file of transaction events (one JSON object per line, the fields of
 * {@code POST /api/v1/events/transactions}) read line by line within a bound, each line either handed to the Kafka
 * producer as it is, keyed by its {@code customer_id} (the partition key), or turned into a rejected record (file,
 * line, reason, message, the line's text cut to 4 KB) for the rejected file. A line longer than the bound is never
 * held whole in memory: its first 2 KB are kept and the rest is skipped up to the next line end.
 *
 * <p>Only the shape is checked here (a JSON object of at most 64 fields with a customer id): the cleaning rules are
 * the worker's, which sends an event they refuse to the dead-letter topic with its reason, as for every source.
 */
public final class EventLines {
  /** Header naming the file to read when the route is triggered by a message (no file consumer). */
  public static final String HEADER_FILE = "valuetierFile";
  /** Header set on a line that goes to the rejected file: its reason code. */
  public static final String HEADER_REJECTED = "valuetierRejected";
  /** The record key header of camel-kafka's producer. */
  static final String KAFKA_KEY = "kafka.KEY";
  static final int MAX_FIELDS = 64;
  /** Bytes of an over-long line kept as its text. */
  static final int KEPT_BYTES = 2048;

  private static final ObjectMapper EVENTS = new ObjectMapper(JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16).maxNumberLength(64)
          .maxStringLength(64 * 1024).maxNameLength(128).build())
      .build()).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /** One line of a file: either its text and key, or its rejection as a JSON line. */
  public record EventLine(String file, long line, String key, String text, String reason, String rejection) {}

  private final int maxLineBytes;
  private final AtomicLong read = new AtomicLong();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();

  /** @param maxLineBytes the longest line taken ({@code valuetier.ingest.max-record-bytes}) */
  public EventLines(int maxLineBytes) {
    this.maxLineBytes = maxLineBytes;
  }

  /**
   * The lines of the exchange's file, lazily: the body of a file consumer's exchange, or the file named by header
   * {@value #HEADER_FILE}. Blank lines are skipped. The iterator closes the file at its end (the splitter closes it
   * too when it stops early).
   */
  public Iterator<EventLine> lines(Exchange exchange) throws IOException, InvalidPayloadException {
    String named = exchange.getMessage().getHeader(HEADER_FILE, String.class);
    String file;
    InputStream in;
    if (named != null) {
      file = named;
      in = Files.newInputStream(Path.of(named));
    } else {
      file = exchange.getMessage().getHeader(Exchange.FILE_PATH, String.class);
      if (file == null) {
        file = exchange.getMessage().getHeader(Exchange.FILE_NAME, "(message body)", String.class);
      }
      in = exchange.getMessage().getMandatoryBody(InputStream.class);
    }
    return new Reader(file, new BufferedInputStream(in, 1 << 16));
  }

  /** Turns the split's line into what the route sends: the event keyed by customer, or the rejected record. */
  public void prepare(Exchange exchange) throws InvalidPayloadException {
    EventLine l = exchange.getMessage().getMandatoryBody(EventLine.class);
    read.incrementAndGet();
    if (l.reason() != null) {
      rejected.incrementAndGet();
      exchange.getMessage().setHeader(HEADER_REJECTED, l.reason());
      exchange.getMessage().setBody(l.rejection() + "\n");
    } else {
      exchange.getMessage().setHeader(KAFKA_KEY, l.key());
      exchange.getMessage().setBody(l.text());
    }
  }

  /** Counts an event the broker acknowledged. */
  public void sent(Exchange exchange) {
    sent.incrementAndGet();
  }

  /** Lines read (blank ones not counted) since this bean was made: each is sent, rejected or dead-lettered. */
  public long readCount() {
    return read.get();
  }

  /** Events acknowledged by the broker since this bean was made. */
  public long sentCount() {
    return sent.get();
  }

  /** Lines rejected since this bean was made. */
  public long rejectedCount() {
    return rejected.get();
  }

  /** The line checked: a JSON object within the parser's limits, of at most 64 fields, with a customer id. */
  EventLine check(String file, long number, byte[] bytes, long length) {
    if (length > bytes.length) {
      String kept = new String(bytes, StandardCharsets.UTF_8) + "… [truncated, " + length + " bytes]";
      return reject(file, number, RejectReason.RECORD_TOO_LONG, "the line is " + length + " bytes long; a line has"
          + " at most " + maxLineBytes + " bytes (valuetier.ingest.max-record-bytes)", kept);
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      return reject(file, number, RejectReason.BAD_ENCODING, "the line holds bytes that are not UTF-8",
          new String(bytes, StandardCharsets.UTF_8));
    }
    JsonNode node;
    try {
      node = EVENTS.readTree(text);
    } catch (IOException e) {
      node = null;
    }
    if (node == null || !node.isObject() || node.size() > MAX_FIELDS) {
      return reject(file, number, RejectReason.BAD_JSON, node != null && node.isObject()
          ? "the event has " + node.size() + " fields; at most " + MAX_FIELDS + " are read"
          : "the line is not a JSON object within the limits (nesting 16, numbers of 64 characters)", text);
    }
    JsonNode id = node.get("customer_id");
    if (id == null || !id.isValueNode() || id.isNull() || id.asText().isBlank()) {
      return reject(file, number, RejectReason.MISSING_CUSTOMER_ID,
          "the event has no customer_id (the record key that puts a customer's events on one partition)", text);
    }
    return new EventLine(file, number, id.asText().strip(), text, null, null);
  }

  private static EventLine reject(String file, long number, RejectReason reason, String message, String text) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("file", file);
    m.put("line", number);
    m.put("reason", reason.name());
    m.put("message", message);
    m.put("text", Excerpt.truncated(text, Excerpt.RECORD_CHARS));
    return new EventLine(file, number, null, null, reason.name(), Json.write(m));
  }

  /** Reads lines of at most {@code maxLineBytes} (without the line end); keeps 2 KB of a longer one. */
  private final class Reader implements Iterator<EventLine>, Closeable {
    private final String file;
    private final InputStream in;
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream(256);
    private long number;
    private EventLine next;
    private boolean eof;

    Reader(String file, InputStream in) {
      this.file = file;
      this.in = in;
    }

    @Override
    public boolean hasNext() {
      try {
        while (next == null && !eof) {
          next = read();
        }
        if (next == null) {
          close();
        }
        return next != null;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file + " after line " + number + ": " + e.getMessage(), e);
      }
    }

    @Override
    public EventLine next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      EventLine l = next;
      next = null;
      return l;
    }

    /** The next non-blank line checked, or null (a blank line, or the end). */
    private EventLine read() throws IOException {
      buf.reset();
      long length = 0;
      int limit = maxLineBytes;
      int b;
      while ((b = in.read()) != -1 && b != '\n') {
        length++;
        if (length <= limit) {
          buf.write(b);
        }
      }
      if (b == -1) {
        eof = true;
        if (length == 0) {
          return null;
        }
      }
      number++;
      byte[] bytes = buf.toByteArray();
      if (length <= limit && bytes.length > 0 && bytes[bytes.length - 1] == '\r') {
        bytes = Arrays.copyOf(bytes, bytes.length - 1);
        length--;
      }
      if (length > limit) {
        bytes = Arrays.copyOf(bytes, Math.min(KEPT_BYTES, bytes.length));
      } else if (new String(bytes, StandardCharsets.UTF_8).isBlank()) {
        return null;
      }
      return check(file, number, bytes, length);
    }

    @Override
    public void close() throws IOException {
      eof = true;
      in.close();
    }
  }
}
