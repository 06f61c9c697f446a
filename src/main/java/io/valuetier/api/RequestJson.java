package io.valuetier.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;

/**
 * How a request body is read: only as JSON ({@code Content-Type: application/json} or {@code application/<x>+json},
 * parameters such as {@code charset} allowed, anything else 415), with a parser bounded so that no body can make it
 * work hard: nesting at most {@value #MAX_DEPTH} deep, numbers at most {@value #MAX_NUMBER_LENGTH} characters, strings
 * at most {@value #MAX_STRING_LENGTH}, names at most {@value #MAX_NAME_LENGTH}, objects at most
 * {@value #MAX_FIELDS} fields and arrays at most {@value #MAX_ARRAY} items. The body size itself is bounded before
 * this by {@code valuetier.http.max-body-bytes} (413). Errors are our own words with the line and column, never the
 * parser's message (which quotes the input).
 */
final class RequestJson {
  static final int MAX_DEPTH = 16;
  static final int MAX_NUMBER_LENGTH = 64;
  static final int MAX_STRING_LENGTH = 1_000_000;
  static final int MAX_NAME_LENGTH = 128;
  static final int MAX_FIELDS = 64;
  static final int MAX_ARRAY = 10_000;

  private static final Pattern JSON_TYPE =
      Pattern.compile("application/(?:json|[a-z0-9!#$&^_.-]+\\+json)");

  /** The request mapper: the project's settings with the stream constraints above. */
  static final ObjectMapper MAPPER =
      new ObjectMapper(
          JsonFactory.builder()
              .streamReadConstraints(
                  StreamReadConstraints.builder()
                      .maxNestingDepth(MAX_DEPTH)
                      .maxNumberLength(MAX_NUMBER_LENGTH)
                      .maxStringLength(MAX_STRING_LENGTH)
                      .maxNameLength(MAX_NAME_LENGTH)
                      .build())
              .build());

  private RequestJson() {}

  /** True for {@code application/json} and {@code application/<x>+json}, with or without parameters. */
  static boolean isJsonType(String contentType) {
    if (contentType == null) {
      return false;
    }
    int semi = contentType.indexOf(';');
    String type = (semi < 0 ? contentType : contentType.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
    return JSON_TYPE.matcher(type).matches();
  }

  /** Throws 415 unless the request says its body is JSON. */
  static void requireJsonType(Exchange e) {
    String type = e.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class);
    if (!isJsonType(type)) {
      throw Problem.unsupportedMediaType(type);
    }
  }

  /** The body as a JSON object, or a 415/400 problem that says what to fix. */
  static JsonNode object(Exchange e) {
    requireJsonType(e);
    // bytes, not a String: Camel's String conversion of the request stream goes through a Reader with buffers of
    // several kB per request, which cost more than the whole JSON parse (a profile of the load test showed 13 %)
    byte[] body = e.getMessage().getBody(byte[].class);
    if (body == null || isBlank(body)) {
      throw Problem.badRequest(null, "the request body is empty: send a JSON object");
    }
    JsonNode n;
    try {
      n = MAPPER.readTree(body);
    } catch (StreamConstraintsException limit) {
      throw Problem.badRequest(null, "the request body is beyond a limit" + at(limit) + ": " + limitBroken(limit));
    } catch (JsonProcessingException bad) {
      throw Problem.badRequest(null, "the request body is not valid JSON" + at(bad)
          + ": check quotes, commas and brackets there");
    } catch (IOException unreadable) { // from a byte array only for an encoding Jackson cannot read
      throw Problem.badRequest(null, "the request body is not readable JSON text: send it in UTF-8");
    }
    if (n == null || !n.isObject()) {
      throw Problem.badRequest(null, "the request body must be a JSON object");
    }
    checkSizes(n, "");
    return n;
  }

  private static boolean isBlank(byte[] body) {
    for (byte b : body) {
      if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
        return false;
      }
    }
    return true;
  }

  private static String at(JsonProcessingException e) {
    JsonLocation l = e.getLocation();
    return l == null || l.getLineNr() < 0 ? "" : " at line " + l.getLineNr() + ", column " + l.getColumnNr();
  }

  /** Which limit a constraint exception broke, in our words (its own message names Jackson's internals). */
  private static String limitBroken(StreamConstraintsException e) {
    String m = String.valueOf(e.getOriginalMessage()).toLowerCase(Locale.ROOT);
    if (m.contains("nesting")) {
      return "objects and arrays may be nested at most " + MAX_DEPTH + " deep";
    }
    if (m.contains("number")) {
      return "a number may have at most " + MAX_NUMBER_LENGTH + " characters";
    }
    if (m.contains("name")) {
      return "a field name may have at most " + MAX_NAME_LENGTH + " characters";
    }
    if (m.contains("string")) {
      return "a string may have at most " + MAX_STRING_LENGTH + " characters";
    }
    return "keep it to " + MAX_DEPTH + " levels, " + MAX_FIELDS + " fields per object and " + MAX_ARRAY
        + " items per array";
  }

  /** Objects at most {@value #MAX_FIELDS} fields, arrays at most {@value #MAX_ARRAY} items, at any depth. */
  private static void checkSizes(JsonNode n, String path) {
    if (n.isObject()) {
      if (n.size() > MAX_FIELDS) {
        throw Problem.badRequest(path.isEmpty() ? null : path,
            (path.isEmpty() ? "the body" : path) + " has " + n.size() + " fields; at most " + MAX_FIELDS + " are read");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        if (f.getValue().isContainerNode()) {
          checkSizes(f.getValue(), path.isEmpty() ? f.getKey() : path + "." + f.getKey());
        }
      }
    } else if (n.isArray()) {
      if (n.size() > MAX_ARRAY) {
        throw Problem.badRequest(path, path + " has " + n.size() + " items; at most " + MAX_ARRAY + " are read");
      }
      for (int i = 0; i < n.size(); i++) {
        if (n.get(i).isContainerNode()) {
          checkSizes(n.get(i), path + "[" + i + "]");
        }
      }
    }
  }
}
