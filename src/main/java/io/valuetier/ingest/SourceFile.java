package io.valuetier.ingest;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;

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

  public static SourceFile of(Path path) {
    if (!Files.isRegularFile(path)) {
      throw new IngestException("no such file: " + path.toAbsolutePath());
    }
    try (InputStream in = Files.newInputStream(path)) {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      int n;
      long size = 0;
      while ((n = in.read(buf)) > 0) {
        sha.update(buf, 0, n);
        size += n;
      }
      return new SourceFile(path, HexFormat.of().formatHex(sha.digest()), size);
    } catch (NoSuchFileException e) {
      throw new IngestException("no such file: " + path.toAbsolutePath(), e);
    } catch (IOException e) {
      throw new IngestException("cannot read " + path.toAbsolutePath() + ": " + e.getMessage(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
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
