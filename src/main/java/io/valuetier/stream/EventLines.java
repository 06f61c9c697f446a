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
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultMessage;

/**
 * The steps of route {@code kafka-events-in}: a file of transaction events (one JSON object per line, the fields of
 * {@code POST /api/v1/events/transactions}) read line by line within a bound and in slices of lines, each line either
 * handed to the Kafka producer as it is, keyed by its {@code customer_id} (the partition key), or turned into a
 * rejected record (file, line, reason, message, the line's text cut to 4 KB) for the rejected file. Of a line longer
 * than the bound no more than the bound is read into memory; its first 2 KB are kept and the rest is skipped up to the
 * next line end.
 *
 * <p>Only the shape is checked here (a JSON object of at most 64 fields with a customer id): the cleaning rules are
 * the worker's, which sends an event they refuse to the dead-letter topic with its reason, as for every source.
 */
public final class EventLines {
  /** Header naming the file to read when the route is triggered by a message (no file consumer). */
  public static final String HEADER_FILE = "valuetierFile";
  /** The record key header of camel-kafka's producer. */
  static final String KAFKA_KEY = "kafka.KEY";
  static final int MAX_FIELDS = 64;
  /** Bytes of an over-long line kept as its text. */
  static final int KEPT_BYTES = 2048;

  private static final ObjectMapper EVENTS = new ObjectMapper(JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16).maxNumberLength(64)
          .maxStringLength(64 * 1024).maxNameLength(128).build())
      .build()).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /** Exchange property holding the slice being sent. */
  public static final String PROPERTY_SLICE = "valuetierSlice";
  static final int SLICE_LINES = 500;
  static final int SLICE_BYTES = 1 << 20;

  /** One line of a file: either its text and key, or its rejection as a JSON line. */
  public record EventLine(String file, long line, String key, String text, String reason, String rejection) {}

  /** Consecutive lines of a file. */
  public record Slice(List<EventLine> lines) {}

  /**
   * A slice's events as the producer's body (camel-kafka sends each message of an iterable body as a record, with its
   * own key). Its text is the events' lines, so that a dead-lettered slice keeps what it would have sent.
   */
  static final class Events extends AbstractList<Message> {
    private final List<Message> messages;

    Events(List<Message> messages) {
      this.messages = messages;
    }

    @Override
    public Message get(int i) {
      return messages.get(i);
    }

    @Override
    public int size() {
      return messages.size();
    }

    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder();
      for (Message m : messages) {
        sb.append(m.getBody(String.class)).append('\n');
      }
      return sb.toString();
    }
  }

  private final int maxLineBytes;
  private final AtomicLong read = new AtomicLong();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();

  /** @param maxLineBytes the longest line taken ({@code valuetier.ingest.max-record-bytes}) */
  public EventLines(int maxLineBytes) {
    this.maxLineBytes = maxLineBytes;
  }

  /**
   * The file's lines in slices, lazily: the body of a file consumer's exchange, or the file named by header
   * {@value #HEADER_FILE}. A slice holds at most {@value #SLICE_LINES} lines and about {@value #SLICE_BYTES} bytes,
   * so that the producer sends a slice's events together while memory stays bounded. Blank lines are skipped. The
   * iterator closes the file at its end (the splitter closes it too when it stops early).
   */
  public Iterator<Slice> slices(Exchange exchange) throws IOException, InvalidPayloadException {
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
    return new Slices(new Reader(file, new BufferedInputStream(in, 1 << 16)));
  }

  /**
   * First step on a slice: the body becomes the slice's rejected lines (JSON lines, empty when none) for the rejected
   * file; the slice is kept in the exchange property {@value #PROPERTY_SLICE} for {@link #events}.
   */
  public void rejected(Exchange exchange) throws InvalidPayloadException {
    Slice slice = exchange.getMessage().getMandatoryBody(Slice.class);
    exchange.setProperty(PROPERTY_SLICE, slice);
    StringBuilder sb = new StringBuilder();
    for (EventLine l : slice.lines()) {
      read.incrementAndGet();
      if (l.reason() != null) {
        rejected.incrementAndGet();
        sb.append(l.rejection()).append('\n');
      }
    }
    exchange.getMessage().setBody(sb.toString());
  }

  /** Second step on a slice: the body becomes its events, one message each with its text, keyed by its customer. */
  public void events(Exchange exchange) {
    Slice slice = exchange.getProperty(PROPERTY_SLICE, Slice.class);
    List<Message> events = new ArrayList<>();
    for (EventLine l : slice.lines()) {
      if (l.reason() == null) {
        Message m = new DefaultMessage(exchange.getContext());
        m.setHeader(KAFKA_KEY, l.key());
        m.setBody(l.text());
        events.add(m);
      }
    }
    exchange.getMessage().setBody(new Events(events));
  }

  /** Counts the events of a slice the broker acknowledged. */
  public void sent(Exchange exchange) {
    sent.addAndGet(exchange.getMessage().getBody(List.class).size());
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

  /** Groups the reader's lines into slices of at most {@value #SLICE_LINES} lines and about {@value #SLICE_BYTES}. */
  private static final class Slices implements Iterator<Slice>, Closeable {
    private final Reader reader;

    Slices(Reader reader) {
      this.reader = reader;
    }

    @Override
    public boolean hasNext() {
      return reader.hasNext();
    }

    @Override
    public Slice next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      List<EventLine> lines = new ArrayList<>();
      long bytes = 0;
      while (lines.size() < SLICE_LINES && bytes < SLICE_BYTES && reader.hasNext()) {
        EventLine l = reader.next();
        lines.add(l);
        bytes += l.text() != null ? l.text().length() : l.rejection().length();
      }
      return new Slice(lines);
    }

    @Override
    public void close() throws IOException {
      reader.close();
    }
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
