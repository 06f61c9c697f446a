package io.valuetier.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.api.ApiKeys;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code valuetier api-key}: a new random key each time, and the settings line that holds only its SHA-256. */
class ApiKeyCommandTest {
  private static String run(String... args) {
    PrintStream out = System.out;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
    try {
      assertEquals(0, Main.run(args));
      return o.toString(StandardCharsets.UTF_8);
    } finally {
      System.setOut(out);
    }
  }

  @Test
  void theCommandPrintsARandomKeyAndTheSha256LineOfThatKeyForTheRole() {
    String first = run("api-key", "--role", "analyst");
    Matcher key = Pattern.compile("shown once\\): (\\S+)").matcher(first);
    Matcher line = Pattern.compile("valuetier\\.api\\.keys\\.analyst=sha256:([0-9a-f]{64})").matcher(first);
    assertTrue(key.find() && line.find(), first);
    assertTrue(key.group(1).length() >= 43, "256 random bits: " + key.group(1));
    assertEquals(HexFormat.of().formatHex(ApiKeys.sha256(key.group(1))), line.group(1));
    assertTrue(first.contains("VALUETIER_API_KEYS_ANALYST=sha256:" + line.group(1)), first);
    assertNotEquals(first, run("api-key", "--role", "analyst"), "a new key each time");
  }

  @Test
  void withJsonTheKeyAndItsSettingLineComeAsOneObject() throws Exception {
    com.fasterxml.jackson.databind.JsonNode j =
        io.valuetier.util.Json.MAPPER.readTree(run("api-key", "--role", "admin", "--json"));
    assertEquals("admin", j.path("role").asText());
    assertEquals("valuetier.api.keys.admin=sha256:" + HexFormat.of().formatHex(ApiKeys.sha256(j.path("key").asText())),
        j.path("setting").asText());
    assertTrue(j.path("environment").asText().startsWith("VALUETIER_API_KEYS_ADMIN=sha256:"), j.toString());
  }

  @Test
  void anUnknownRoleIsRefusedWithOneLineNamingTheOption() {
    PrintStream err = System.err;
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
    int exit;
    try {
      exit = Main.run("api-key", "--role", "root");
    } finally {
      System.setErr(err);
    }
    String text = e.toString(StandardCharsets.UTF_8).strip();
    assertNotEquals(0, exit);
    assertEquals(1, text.lines().count(), text);
    assertTrue(text.contains("--role") && text.contains("root") && text.contains("analyst"), text);
  }
}
