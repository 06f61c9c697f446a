package io.valuetier.api;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The fields of a request body read with their checks: a wrong type or size is a 400 {@link Problem} that names the
 * field by its path in the body ({@code facts.segment}, {@code transactions[2].quantity}).
 */
final class RequestFields {
  private RequestFields() {}

  /** An id-like text of 1 to 64 characters (a whole number is taken as its digits). */
  static String requiredText(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      throw Problem.badRequest(field, field + " is required");
    }
    if (!v.isTextual() && !v.isIntegralNumber()) {
      throw Problem.badRequest(field, field + " must be a string");
    }
    String s = v.asText().strip();
    if (s.isEmpty() || s.length() > 64) {
      throw Problem.badRequest(field, field + " must be 1 to 64 characters");
    }
    return s;
  }

  static String optionalText(JsonNode n, String field, String path) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw Problem.badRequest(path, path + " must be a string");
    }
    return v.asText();
  }

  static String shortText(JsonNode n, String field, String path) {
    String v = optionalText(n, field, path);
    if (v != null && v.length() > 64) {
      throw Problem.badRequest(path, path + " must be at most 64 characters");
    }
    return v;
  }

  static Boolean optionalBool(JsonNode n, String field, String path) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isBoolean()) {
      throw Problem.badRequest(path, path + " must be true or false");
    }
    return v.asBoolean();
  }

  static Integer optionalInt(JsonNode n, String field, String path) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0 || v.asLong() > 1_000_000) {
      throw Problem.badRequest(path, path + " must be a whole number from 0");
    }
    return v.asInt();
  }

  /** A number or a string as text (the cleaning rules read both), anything else a 400. */
  static String scalar(JsonNode n, String field, String path) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isValueNode() || v.isBoolean()) {
      throw Problem.badRequest(path + "." + field, path + "." + field + " must be a string or a number");
    }
    return v.asText();
  }
}
