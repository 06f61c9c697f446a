package io.valuetier.model.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;

/**
 * Reads a serialized model through an allow-list filter: only this project's model classes, Smile's model classes and
 * the plain JDK types they hold (numbers, strings, collections, arrays of them) may appear, within limits of depth,
 * references and size. Anything else, such as a gadget class planted in a tampered file, stops the read before the
 * class is even loaded. Never read a model file any other way.
 */
public final class SafeModelInput {
  /** The allow-list (JEP 290 pattern syntax); everything not matched is rejected. */
  public static final String PATTERN =
      String.join(
          ";",
          "maxdepth=64",
          "maxrefs=5000000",
          "maxbytes=1000000000",
          "maxarray=100000000",
          "io.valuetier.model.**",
          "io.valuetier.features.FeatureSpec",
          "smile.regression.*",
          "smile.classification.*",
          "smile.model.**",
          "smile.data.formula.*",
          "smile.data.type.*",
          "smile.data.measure.*",
          "smile.math.*",
          "smile.tensor.*",
          "smile.util.*",
          "smile.util.function.*",
          "java.lang.String",
          "java.lang.Number",
          "java.lang.Double",
          "java.lang.Integer",
          "java.lang.Long",
          "java.lang.Float",
          "java.lang.Boolean",
          "java.lang.Enum",
          "java.lang.Object",
          "java.util.ArrayList",
          "java.util.Arrays$ArrayList",
          "java.util.HashMap",
          "java.util.Map$Entry",
          "java.util.KeyValueHolder",
          "java.util.AbstractMap$SimpleEntry",
          "java.util.AbstractMap$SimpleImmutableEntry",
          "java.util.LinkedHashMap",
          "java.util.TreeMap",
          "java.util.HashSet",
          "java.util.Collections$*",
          "java.util.ImmutableCollections$*",
          "java.util.CollSer",
          "java.util.Optional",
          "java.util.BitSet",
          "java.util.EnumMap",
          "java.math.BigDecimal",
          "java.math.BigInteger",
          "!*");

  private static final ObjectInputFilter FILTER = ObjectInputFilter.Config.createFilter(PATTERN);

  private SafeModelInput() {}

  /** The filter, for callers that build their own stream. */
  public static ObjectInputFilter filter() {
    return FILTER;
  }

  /**
   * Reads one object of {@code type}.
   *
   * @throws InvalidClassException when the stream holds a class outside the allow-list (the message names it)
   */
  public static <T> T read(InputStream in, Class<T> type, String source) throws IOException {
    try (ObjectInputStream ois = new ObjectInputStream(in)) {
      ois.setObjectInputFilter(FILTER);
      Object o;
      try {
        o = ois.readObject();
      } catch (ClassNotFoundException e) {
        throw new InvalidClassException(source + " holds an unknown class: " + e.getMessage());
      }
      if (!type.isInstance(o)) {
        throw new InvalidClassException(
            source + " holds a " + o.getClass().getName() + ", not a " + type.getName());
      }
      return type.cast(o);
    }
  }
}
