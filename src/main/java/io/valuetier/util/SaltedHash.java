package io.valuetier.util;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A stable number in [0, 1) from a salt and some keys (a customer id, an action): the first 53 bits of the SHA-256 of
 * the parts joined by NUL characters. Assignments by a share (control groups, the challenger's customers) use it, so
 * that a customer keeps its assignment across runs and machines, and two uses with different salts are independent.
 */
public final class SaltedHash {
  private SaltedHash() {}

  /** A number in [0, 1) from the parts, in order (the first is the salt). */
  public static double unit(String... parts) {
    byte[] h = SHA256.get().digest(String.join("\u0000", parts).getBytes(StandardCharsets.UTF_8));
    long v = 0;
    for (int i = 0; i < 7; i++) {
      v = (v << 8) | (h[i] & 0xff);
    }
    return (v >>> 3) / (double) (1L << 53);
  }

  /** One digest per thread: looking the algorithm up for every customer costs more than the hash. */
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  });
}
