package io.valuetier.ingest;

import io.valuetier.records.IngestException;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * A source file: its fingerprint (SHA-256 of its bytes, which keys its rejected lines so that a second ingest of the
 * same file rewrites nothing) and a stream of its text, gunzipped on the fly when the file starts with the gzip magic
 * number, whatever its name.
 */
public final class SourceFile {
  private final Path path;
  private final String fingerprint;
  private final long size;
  private final AtomicLong consumed = new AtomicLong();

  private SourceFile(Path path, String fingerprint, long size) {
    this.path = path;
    this.fingerprint = fingerprint;
    this.size = size;
  }

  /**
   * Checks that {@code path} is a readable, non-empty text file (gzip allowed, checked to its end) and fingerprints
   * it. A file that cannot be ingested at all fails here, before anything is stored, with a message that says what
   * is wrong and what to do.
   */
  public static SourceFile of(Path path) {
    Path abs = path.toAbsolutePath();
    if (Files.isDirectory(path)) {
      throw new IngestException(abs + " is a directory, give a file");
    }
    if (!Files.exists(path)) {
      throw new IngestException("no such file: " + abs + " (check the path)");
    }
    if (!Files.isReadable(path)) {
      throw new IngestException("cannot read " + abs + ": permission denied");
    }
    try (InputStream in = Files.newInputStream(path)) {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      BufferedInputStream buffered = new BufferedInputStream(in, 1 << 16);
      buffered.mark(2);
      int b1 = buffered.read();
      int b2 = buffered.read();
      buffered.reset();
      CountingDigest counted = new CountingDigest(buffered, sha);
      if (b1 < 0) {
        throw new IngestException(abs + " is empty (0 bytes): give a file with a header line and rows");
      }
      byte[] head;
      if (b1 == 0x1f && b2 == 0x8b) {
        head = checkGzip(abs, counted);
      } else {
        head = counted.readNBytes(SNIFF);
      }
      counted.transferTo(OutputStream.nullOutputStream());
      String binary = binaryKind(head);
      if (binary != null) {
        throw new IngestException(abs + " is not a text CSV file (" + binary + "): give the data as comma- or "
            + "tab-separated text, optionally gzipped");
      }
      return new SourceFile(path, HexFormat.of().formatHex(sha.digest()), counted.count);
    } catch (NoSuchFileException e) {
      throw new IngestException("no such file: " + abs + " (check the path)", e);
    } catch (IOException e) {
      throw new IngestException("cannot read " + abs + ": " + e.getMessage(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** How many bytes of the text are looked at to tell text from binary data. */
  private static final int SNIFF = 8192;

  /** Reads the whole gzip stream (a truncated file fails here, not after half of it is stored); returns its start. */
  private static byte[] checkGzip(Path abs, InputStream raw) {
    try {
      GZIPInputStream gz = new GZIPInputStream(raw, 1 << 16);
      byte[] head = gz.readNBytes(SNIFF);
      gz.transferTo(OutputStream.nullOutputStream());
      return head;
    } catch (EOFException | ZipException e) {
      throw new IngestException(abs + ": the gzip file is truncated or corrupt (" + e.getMessage()
          + "); copy it again, or check it with gzip -t", e);
    } catch (IOException e) {
      throw new IngestException(abs + ": the gzip file cannot be read (" + e.getMessage() + ")", e);
    }
  }

  /** What kind of binary data {@code head} starts with, or null when it looks like text. */
  static String binaryKind(byte[] head) {
    if (head.length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
      return "it is a zip archive or an Excel workbook; save the sheet as CSV";
    }
    if (head.length >= 4 && head[0] == 0x7f && head[1] == 'E' && head[2] == 'L' && head[3] == 'F') {
      return "it is a program";
    }
    for (byte b : head) {
      if (b == 0) {
        return "it holds binary data, such as a program or an image";
      }
    }
    return null;
  }

  /** Feeds every byte read into the digest and counts them. */
  private static final class CountingDigest extends FilterInputStream {
    private final MessageDigest sha;
    private long count;

    CountingDigest(InputStream in, MessageDigest sha) {
      super(in);
      this.sha = sha;
    }

    @Override
    public int read() throws IOException {
      int c = super.read();
      if (c >= 0) {
        sha.update((byte) c);
        count++;
      }
      return c;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        sha.update(b, off, n);
        count += n;
      }
      return n;
    }
  }


  public Path path() {
    return path;
  }

  public String fingerprint() {
    return fingerprint;
  }

  /** Size on disk in bytes (compressed size for gzip files). */
  public long size() {
    return size;
  }

  /** Bytes of the file read so far, for progress. */
  public long consumed() {
    return consumed.get();
  }

  /** Opens the file's text, gunzipping when needed. */
  public InputStream open() {
    try {
      InputStream raw =
          new FilterInputStream(new BufferedInputStream(Files.newInputStream(path), 1 << 16)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
              int n = super.read(b, off, len);
              if (n > 0) {
                consumed.addAndGet(n);
              }
              return n;
            }

            @Override
            public int read() throws IOException {
              int c = super.read();
              if (c >= 0) {
                consumed.incrementAndGet();
              }
              return c;
            }
          };
      raw.mark(2);
      int b1 = raw.read();
      int b2 = raw.read();
      raw.reset();
      consumed.set(0);
      if (b1 == 0x1f && b2 == 0x8b) {
        return new GZIPInputStream(raw, 1 << 16);
      }
      return raw;
    } catch (IOException e) {
      throw new IngestException("cannot open " + path.toAbsolutePath() + ": " + e.getMessage(), e);
    }
  }
}
