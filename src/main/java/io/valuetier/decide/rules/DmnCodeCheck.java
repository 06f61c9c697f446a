package io.valuetier.decide.rules;

import io.valuetier.decide.rules.ValidationMessage.Severity;
import java.beans.Introspector;
import java.io.IOException;
import java.io.StringReader;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.Month;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.Temporal;
import java.time.temporal.TemporalAmount;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParserFactory;
import org.kie.dmn.feel.lang.types.impl.ComparablePeriod;
import org.kie.dmn.feel.parser.feel11.profiles.KieExtendedFEELProfile;
import org.kie.dmn.feel.runtime.FEELFunction;
import org.kie.dmn.feel.runtime.Range;
import org.kie.dmn.feel.runtime.functions.BuiltInFunctions;
import org.kie.dmn.feel.runtime.functions.CustomFEELFunction;
import org.kie.dmn.feel.runtime.functions.DTInvokerFunction;
import org.kie.dmn.feel.runtime.functions.JavaFunction;
import org.kie.dmn.feel.runtime.impl.RangeImpl;
import org.xml.sax.Attributes;
import org.xml.sax.InputSource;
import org.xml.sax.Locator;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * What a DMN model may run, checked before the model is validated, compiled or evaluated: models arrive over HTTP
 * (simulations) and from a database (rollback).
 *
 * <p>The KIE DMN engine reaches Java in three ways, and each is refused with the file, the element and what to do:
 * <ul>
 *   <li>a function definition of kind Java or PMML ({@code kind="Java"}, {@code "J"}, {@code "PMML"}, {@code "P"}) in
 *       a business knowledge model, a context or any expression: it calls a static Java method by name;</li>
 *   <li>the FEEL form of the same, {@code function(x) external { java: {...} }} or {@code external { pmml: ...}}, in
 *       any FEEL text: the word {@code external} outside a string;</li>
 *   <li>a FEEL path to a Java member of a value: the engine answers {@code "a".class} or {@code x.getClass} by
 *       calling that public no-argument method (checked on KIE 10.1: {@code "abc".class.newInstance} creates an
 *       object, {@code (function(x) x).evaluationContext} hands out the engine's context). A path may name a
 *       context entry, a field of a structured type or a FEEL property ({@code year}, {@code start}, ...), but not
 *       {@code class}, {@code getClass} nor any no-argument method of a FEEL value that returns something other than
 *       a plain value (text, number, boolean, date, time, duration) or returns nothing.</li>
 * </ul>
 * Imports of other models and expression languages other than FEEL are refused too.
 */
final class DmnCodeCheck {
  /** FEEL's own properties of dates, times, durations and ranges (they are answered by getters too). */
  private static final Set<String> FEEL_PROPERTIES = Set.of("year", "month", "day", "weekday", "hour", "minute",
      "second", "time", "timezone", "years", "months", "days", "hours", "minutes", "seconds", "start", "end");
  /** Names a FEEL path may not take, lower case: Java methods reachable on FEEL values. */
  static final Set<String> JAVA_MEMBERS = javaMembers();

  private DmnCodeCheck() {}

  /** Checks one DMN file; findings go to {@code out}. Returns whether the file passed. */
  static boolean check(String file, String xml, List<ValidationMessage> out) {
    Handler h = new Handler(file);
    try {
      SAXParserFactory f = SAXParserFactory.newInstance();
      f.setNamespaceAware(true);
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      f.setFeature("http://xml.org/sax/features/external-general-entities", false);
      f.newSAXParser().parse(new InputSource(new StringReader(xml)), h);
    } catch (SAXException | IOException | ParserConfigurationException e) {
      return true; // not well-formed: the gate's XML check names the line; nothing is compiled
    }
    out.addAll(h.messages);
    return h.messages.isEmpty();
  }

  /**
   * Every no-argument instance method of the classes a FEEL value can have whose result is not a plain value, or
   * which returns nothing: the path {@code value.name} would call it.
   */
  private static Set<String> javaMembers() {
    Set<Class<?>> classes = new LinkedHashSet<>(List.of(Object.class, String.class, BigDecimal.class,
        BigInteger.class, Boolean.class, LocalDate.class, LocalTime.class,
        LocalDateTime.class, ZonedDateTime.class, OffsetDateTime.class,
        OffsetTime.class, Duration.class, Period.class,
        ComparablePeriod.class, List.class, ArrayList.class, Map.class,
        HashMap.class, LinkedHashMap.class, Range.class,
        RangeImpl.class, FEELFunction.class, CustomFEELFunction.class,
        JavaFunction.class, DTInvokerFunction.class));
    for (FEELFunction fn : BuiltInFunctions.getFunctions()) {
      classes.add(fn.getClass());
    }
    for (FEELFunction fn : new KieExtendedFEELProfile().getFEELFunctions()) {
      classes.add(fn.getClass());
    }
    Set<String> out = new HashSet<>(Set.of("class", "getclass"));
    for (Class<?> c : classes) {
      for (Method m : c.getMethods()) {
        if (Modifier.isStatic(m.getModifiers()) || m.getParameterCount() != 0 || plainValue(m.getReturnType())) {
          continue;
        }
        String n = m.getName();
        out.add(n.toLowerCase(Locale.ROOT));
        if (n.startsWith("get") && n.length() > 3) {
          out.add(Introspector.decapitalize(n.substring(3)).toLowerCase(Locale.ROOT));
        } else if (n.startsWith("is") && n.length() > 2) {
          out.add(Introspector.decapitalize(n.substring(2)).toLowerCase(Locale.ROOT));
        }
      }
    }
    FEEL_PROPERTIES.forEach(out::remove);
    // The first and last element of a FEEL list are FEEL values ("Customer.First Name" must stay possible).
    List.of("first", "last", "getfirst", "getlast").forEach(out::remove);
    return Set.copyOf(out);
  }

  private static boolean plainValue(Class<?> t) {
    return t != void.class && (t.isPrimitive() || t == String.class || Number.class.isAssignableFrom(t)
        || t == Boolean.class || t == Character.class || Temporal.class.isAssignableFrom(t)
        || TemporalAmount.class.isAssignableFrom(t) || t == ZoneId.class
        || t == ZoneOffset.class || t == DayOfWeek.class || t == Month.class);
  }

  /** The elements that own a piece of logic, and how a message names them. */
  private static final Map<String, String> OWNERS = Map.of(
      "decision", "decision",
      "businessKnowledgeModel", "business knowledge model",
      "decisionService", "decision service",
      "inputData", "input",
      "itemDefinition", "type");

  private static final class Handler extends DefaultHandler {
    final String file;
    final Set<ValidationMessage> messages = new LinkedHashSet<>();
    final Deque<String[]> owners = new ArrayDeque<>();
    final Deque<String> elements = new ArrayDeque<>();
    Locator locator;
    StringBuilder text;
    int textLine;

    Handler(String file) {
      this.file = file;
    }

    @Override
    public void setDocumentLocator(Locator locator) {
      this.locator = locator;
    }

    private int line() {
      return locator == null ? 0 : locator.getLineNumber();
    }

    @Override
    public void startElement(String uri, String local, String qName, Attributes atts) {
      String owner = OWNERS.get(local);
      if (owner != null) {
        String name = atts.getValue("name");
        owners.push(new String[] {owner, name == null ? atts.getValue("id") : name});
      }
      String language = atts.getValue("expressionLanguage");
      if (language != null && !language.toUpperCase(Locale.ROOT).contains("FEEL")) {
        add("sets the expression language " + language + ", which a model may not: FEEL is the only language the"
            + " gate checks; remove the attribute");
      }
      if (local.equals("import")) {
        add("imports " + (atts.getValue("locationURI") != null ? atts.getValue("locationURI")
            : atts.getValue("namespace")) + ", which a model may not (an imported model or PMML file is not"
            + " checked): copy what you need into this model");
      }
      if (local.equals("functionDefinition") || local.equals("encapsulatedLogic")) {
        String kind = atts.getValue("kind");
        if (kind != null && !kind.equals("FEEL") && !kind.equals("F")) {
          String what = kind.equals("Java") || kind.equals("J") ? "a Java function (kind=\"" + kind
              + "\"), which would run Java code on the server"
              : kind.equals("PMML") || kind.equals("P") ? "a PMML function (kind=\"" + kind
                  + "\"), which would load and run an external model"
                  : "a function of kind \"" + kind + "\"";
          add("defines " + what + ": write the logic in FEEL (a decision table, a literal expression or a FEEL"
              + " function) instead");
        }
      }
      elements.push(local);
      if (local.equals("text")) {
        text = new StringBuilder();
        textLine = line();
      }
    }

    @Override
    public void characters(char[] ch, int start, int length) {
      if (text != null) {
        text.append(ch, start, length);
      }
    }

    @Override
    public void endElement(String uri, String local, String qName) {
      elements.pop();
      if (local.equals("text") && text != null) {
        String parent = elements.peek();
        // Annotations and descriptions are prose, not FEEL.
        if (!"annotationEntry".equals(parent) && !"description".equals(parent)) {
          feel(text.toString());
        }
        text = null;
      }
      if (OWNERS.containsKey(local) && !owners.isEmpty()) {
        owners.pop();
      }
    }

    /** The FEEL of one text element: no external function, no path to a Java member. */
    private void feel(String feel) {
      int i = 0;
      int lineOffset = 0;
      char previous = 0;
      while (i < feel.length()) {
        char c = feel.charAt(i);
        if (c == '\n') {
          lineOffset++;
          i++;
        } else if (Character.isWhitespace(c) || c == '`') {
          i++;
        } else if (c == '/' && feel.startsWith("//", i)) {
          while (i < feel.length() && feel.charAt(i) != '\n') {
            i++;
          }
        } else if (c == '/' && feel.startsWith("/*", i)) {
          int close = feel.indexOf("*/", i + 2);
          int end = close < 0 ? feel.length() : close + 2;
          lineOffset += (int) feel.substring(i, end).chars().filter(ch -> ch == '\n').count();
          i = end;
        } else if (c == '"') {
          int k = i + 1;
          while (k < feel.length() && feel.charAt(k) != '"') {
            k += feel.charAt(k) == '\\' ? 2 : 1;
          }
          lineOffset += (int) feel.substring(i, Math.min(k, feel.length())).chars().filter(ch -> ch == '\n').count();
          i = k + 1;
          previous = '"';
        } else if (Character.isDigit(c)) {
          while (i < feel.length() && (Character.isDigit(feel.charAt(i)) || feel.charAt(i) == '.'
              && i + 1 < feel.length() && Character.isDigit(feel.charAt(i + 1)))) {
            i++;
          }
          previous = '0';
        } else if (Character.isJavaIdentifierStart(c)) {
          int start = i;
          while (i < feel.length() && Character.isJavaIdentifierPart(feel.charAt(i))) {
            i++;
          }
          String word = feel.substring(start, i);
          if (word.equals("external")) {
            add(at(lineOffset) + "defines an external (Java or PMML) function in FEEL, which would run code outside"
                + " the model: write the logic in FEEL instead");
          } else if (previous == '.' && JAVA_MEMBERS.contains(word.toLowerCase(Locale.ROOT))) {
            add(at(lineOffset) + "the path ." + word + " reaches the Java method behind the value (the engine calls"
                + " it), which a model may not: use a context entry or a field of a type with another name");
          }
          previous = 'a';
        } else {
          previous = c;
          i++;
        }
      }
    }

    private String at(int lineOffset) {
      return textLine > 0 ? "line " + (textLine + lineOffset) + ": " : "";
    }

    private void add(String text) {
      if (messages.size() > DrlCodeCheck.MAX_FINDINGS) {
        return;
      }
      if (messages.size() == DrlCodeCheck.MAX_FINDINGS) {
        messages.add(new ValidationMessage(Severity.ERROR, file, null, 0, null, "more findings follow; fix the"
            + " ones above and validate again"));
        return;
      }
      String[] owner = owners.peek();
      String decision = owner == null || !owner[0].equals("decision") ? null : owner[1];
      String where = owner == null || owner[0].equals("decision") ? "" : owner[0] + " '" + owner[1] + "': ";
      String line = text.startsWith("line ") ? "" : (line() > 0 ? "line " + line() + ": " : "");
      messages.add(new ValidationMessage(Severity.ERROR, file, decision, 0, null, line + where + text));
    }
  }
}
