package io.valuetier.decide.rules;

import io.valuetier.decide.guardrails.GuardrailParameters;
import io.valuetier.decide.guardrails.Intervention;
import io.valuetier.decide.guardrails.ProposedAction;
import io.valuetier.decide.rules.ValidationMessage.Severity;
import java.beans.Introspector;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.drools.drl.ast.descr.AttributeDescr;
import org.drools.drl.ast.descr.FunctionDescr;
import org.drools.drl.ast.descr.GlobalDescr;
import org.drools.drl.ast.descr.ImportDescr;
import org.drools.drl.ast.descr.PackageDescr;
import org.drools.drl.ast.descr.RuleDescr;
import org.drools.drl.ast.descr.TypeDeclarationDescr;
import org.drools.drl.parser.DrlParser;
import org.drools.drl.parser.DroolsError;
import org.drools.drl.parser.DroolsParserException;
import org.drools.drl.parser.ParserError;

/**
 * What a DRL file may call, checked before anything is compiled or run: rules arrive over HTTP (simulations) and from
 * a database (rollback), and a DRL condition or consequence is Java code that would run inside the server.
 *
 * <p>An allow-list, not a deny-list. Drools' own parser gives the file's imports, globals, functions, queries, type
 * declarations and rules; a file may import only the guardrail facts and parameters, declare only the global
 * {@code params}, and hold nothing but rules. Then every identifier of the file (after Java unicode escapes are
 * decoded, and with comments and string literals taken out, so neither hides nor fakes a call) must be one of: the
 * DRL keywords a guardrail needs, a few Java keywords, a binding or local variable (a name starting with {@code $}),
 * the global {@code params}, the fact type {@link ProposedAction}, or a public instance method or property of the
 * guardrail facts and parameters ({@link ProposedAction}, {@link GuardrailParameters}, {@link Intervention}) and a few
 * comparisons on the values they return ({@code equals}, {@code compareTo}, {@code isEmpty}, ...). Everything else
 * (a {@code java.} name, {@code System}, reflection, files, processes, {@code new} of another type, {@code drools}
 * and {@code kcontext}, {@code eval}, {@code from}, {@code accumulate}, loops) is refused with the file, rule, line
 * and the name.
 *
 * <p>One job: the allow-list and the walk over a DRL file that checks it (the structure from Drools' parser, then a
 * scanner that takes out comments, strings and unicode escapes and checks every name), kept together so that a
 * security review sees everything a rule may call, and how it is found, in one file.
 */
final class DrlCodeCheck {
  /** The fact types a rule may match and create. */
  static final List<Class<?>> FACT_TYPES = List.of(ProposedAction.class);
  /** Every class whose methods a rule may call: the facts, what they return, and the parameters. */
  static final List<Class<?>> ALLOWED_CLASSES =
      List.of(ProposedAction.class, Intervention.class, GuardrailParameters.class);
  /** The imports a file may have. */
  static final Set<String> ALLOWED_IMPORTS =
      Set.of(ProposedAction.class.getName(), GuardrailParameters.class.getName(), Intervention.class.getName());
  /** The one global: the guardrail parameters. */
  static final String PARAMS = "params";

  /** Rule attributes a guardrail may set (no timers, calendars or other dialects). */
  static final Set<String> ALLOWED_ATTRIBUTES = Set.of("salience", "ruleflow-group", "agenda-group",
      "activation-group", "no-loop", "lock-on-active", "auto-focus", "enabled", "date-effective", "date-expires",
      "dialect");

  /** DRL keywords of rules, their attributes (split at '-') and conditions, and the consequence helpers. */
  private static final Set<String> DRL_WORDS = Set.of("rule", "extends", "when", "then", "end", "salience",
      "ruleflow", "agenda", "activation", "group", "no", "loop", "lock", "on", "active", "auto", "focus", "enabled",
      "date", "effective", "expires", "dialect", "and", "or", "not", "exists", "forall", "in", "contains", "matches",
      "memberOf", "excludes", "update", "modify", "insert", "insertLogical", "delete", "retract");
  /** Consequence helpers whose argument must be a guardrail fact. */
  private static final Set<String> FACT_ARGUMENT = Set.of("update", "modify", "insert", "insertLogical", "delete",
      "retract");
  /** Java keywords and type names a condition or consequence may use. */
  private static final Set<String> JAVA_WORDS = Set.of("true", "false", "null", "this", "new", "if", "else",
      "return", "instanceof", "final", "var", "int", "long", "double", "boolean", "String");
  /** Harmless methods on the values the facts return (String, Integer, Boolean, BigDecimal, List). */
  private static final Set<String> VALUE_METHODS = Set.of("equals", "equalsIgnoreCase", "startsWith", "endsWith",
      "contains", "isEmpty", "isBlank", "length", "compareTo", "signum", "intValue", "doubleValue", "booleanValue",
      "size", "toString", "hashCode");
  /** Words that open a DRL construct a guardrail may not use, with the reason in words. */
  private static final Map<String, String> CONSTRUCTS = Map.ofEntries(
      Map.entry("function", "declares a function (Java code outside any rule)"),
      Map.entry("query", "declares a query"),
      Map.entry("declare", "declares a type"),
      Map.entry("eval", "uses eval(...) (arbitrary code in a condition)"),
      Map.entry("from", "uses from (facts from arbitrary code)"),
      Map.entry("accumulate", "uses accumulate (code that runs for every fact)"),
      Map.entry("acc", "uses accumulate (code that runs for every fact)"),
      Map.entry("collect", "uses collect"),
      Map.entry("window", "uses a window"),
      Map.entry("entry", "uses an entry point"),
      Map.entry("timer", "uses a timer"),
      Map.entry("calendars", "uses calendars"),
      Map.entry("duration", "uses a duration"),
      Map.entry("unit", "declares a rule unit"),
      Map.entry("drools", "uses drools (the engine's handle: session, globals, other facts)"),
      Map.entry("kcontext", "uses kcontext (the engine's handle: session, globals, other facts)"),
      Map.entry("class", "uses .class (reflection)"),
      Map.entry("super", "uses super"),
      Map.entry("while", "uses a loop"),
      Map.entry("for", "uses a loop"),
      Map.entry("do", "uses a loop"),
      Map.entry("throw", "throws an exception"),
      Map.entry("try", "uses try/catch"),
      Map.entry("synchronized", "uses synchronized"));

  /** Declarations outside rules that the parsed file names (and the scan skips). */
  private static final Set<String> TOP_LEVEL_CONSTRUCTS = Set.of("function", "query", "declare");

  /** Findings shown per file: a file full of calls gets a bounded answer. */
  static final int MAX_FINDINGS = 50;

  private static final Set<String> METHODS = allowedMethods();
  private static final Set<String> FACT_NAMES = names(FACT_TYPES);

  /** What a rule may use, in words, for the end of every message. */
  static final String ALLOWED_IN_WORDS = "a rule may only use the guardrail facts (" + String.join(", ",
      FACT_NAMES) + "), their methods and the parameters (" + PARAMS + "); see docs/analyst-guide.md";

  private DrlCodeCheck() {}

  private static Set<String> names(List<Class<?>> classes) {
    Set<String> out = new TreeSet<>();
    classes.forEach(c -> out.add(c.getSimpleName()));
    return out;
  }

  /** Public instance methods of the allowed classes (not those of Object but equals, hashCode and toString). */
  private static Set<String> allowedMethods() {
    Set<String> out = new HashSet<>(VALUE_METHODS);
    for (Class<?> c : ALLOWED_CLASSES) {
      for (Method m : c.getMethods()) {
        if (Modifier.isStatic(m.getModifiers()) || m.getDeclaringClass() == Object.class) {
          continue;
        }
        out.add(m.getName());
        // A condition reads a getter as a property: recentContacts for getRecentContacts(), contact for isContact().
        String n = m.getName();
        if (m.getParameterCount() == 0 && n.startsWith("get") && n.length() > 3) {
          out.add(Introspector.decapitalize(n.substring(3)));
        } else if (m.getParameterCount() == 0 && n.startsWith("is") && n.length() > 2) {
          out.add(Introspector.decapitalize(n.substring(2)));
        }
      }
    }
    out.remove("getClass");
    return Set.copyOf(out);
  }

  /** Checks one DRL file; findings go to {@code out}. Returns whether the file passed. */
  static boolean check(String file, String drl, List<ValidationMessage> out) {
    Source src = Source.of(drl);
    Findings f = new Findings(file, src);
    PackageDescr pkg = parse(drl, f);
    if (pkg != null) {
      structure(pkg, f);
    }
    scan(src, pkg, f);
    out.addAll(f.messages);
    return f.messages.isEmpty();
  }

  private static PackageDescr parse(String drl, Findings f) {
    DrlParser parser = new DrlParser();
    try {
      PackageDescr pkg = parser.parse(false, drl);
      if (parser.hasErrors()) {
        for (DroolsError e : parser.getErrors()) {
          int line = e instanceof ParserError pe ? pe.getRow() : 0;
          f.add(line, null, "cannot be read as DRL (" + e.getMessage().strip().replace('\n', ' ')
              + "), so it cannot be checked and is not compiled: fix the rule at that line");
        }
        return null;
      }
      return pkg;
    } catch (DroolsParserException | RuntimeException e) {
      f.add(0, null, "cannot be read as DRL (" + e.getMessage() + "), so it cannot be checked and is not compiled");
      return null;
    }
  }

  /** The file's declarations: imports, globals, functions, queries, types and attributes. */
  private static void structure(PackageDescr pkg, Findings f) {
    for (ImportDescr i : pkg.getImports()) {
      if (!ALLOWED_IMPORTS.contains(i.getTarget())) {
        f.add(i.getLine(), null, "imports " + i.getTarget() + ", which rules may not import: import only "
            + String.join(", ", new TreeSet<>(ALLOWED_IMPORTS)));
      }
    }
    pkg.getFunctionImports().forEach(i -> f.add(i.getLine(), null, "imports the function " + i.getTarget()
        + ", which rules may not import: " + ALLOWED_IN_WORDS));
    pkg.getAccumulateImports().forEach(i -> f.add(i.getLine(), null, "imports the accumulate function "
        + i.getTarget() + ", which rules may not import: " + ALLOWED_IN_WORDS));
    for (GlobalDescr g : pkg.getGlobals()) {
      boolean params = g.getIdentifier().equals(PARAMS)
          && (g.getType().equals(GuardrailParameters.class.getSimpleName())
          || g.getType().equals(GuardrailParameters.class.getName()));
      if (!params) {
        f.add(g.getLine(), null, "declares the global " + g.getType() + " " + g.getIdentifier()
            + ", which rules may not: the only global is GuardrailParameters " + PARAMS);
      }
    }
    for (FunctionDescr fn : pkg.getFunctions()) {
      f.add(fn.getLine(), null, "declares the function " + fn.getName()
          + ", which rules may not (a function is Java code outside any rule): " + ALLOWED_IN_WORDS);
    }
    for (TypeDeclarationDescr t : pkg.getTypeDeclarations()) {
      f.add(t.getLine(), null, "declares the type " + t.getTypeName() + ", which rules may not: " + ALLOWED_IN_WORDS);
    }
    pkg.getEnumDeclarations().forEach(e -> f.add(e.getLine(), null, "declares the enum " + e.getTypeName()
        + ", which rules may not: " + ALLOWED_IN_WORDS));
    pkg.getEntryPointDeclarations().forEach(e -> f.add(e.getLine(), null, "declares an entry point, which rules"
        + " may not use"));
    pkg.getWindowDeclarations().forEach(e -> f.add(e.getLine(), null, "declares a window, which rules may not use"));
    attributes(pkg.getAttributes(), null, f);
    for (RuleDescr r : pkg.getRules()) {
      if (r.isQuery()) {
        f.add(r.getLine(), null, "declares the query \"" + r.getName() + "\", which rules may not: "
            + ALLOWED_IN_WORDS);
        continue;
      }
      attributes(new ArrayList<>(r.getAttributes().values()), r.getName(), f);
    }
  }

  private static void attributes(List<AttributeDescr> attributes, String rule, Findings f) {
    for (AttributeDescr a : attributes) {
      if (!ALLOWED_ATTRIBUTES.contains(a.getName())) {
        f.add(a.getLine(), rule, "sets the attribute " + a.getName() + ", which rules may not: use only "
            + String.join(", ", new TreeSet<>(ALLOWED_ATTRIBUTES)));
      } else if (a.getName().equals("dialect") && !"java".equals(a.getValue())) {
        f.add(a.getLine(), rule, "sets dialect \"" + a.getValue()
            + "\", which rules may not: remove it (rules are checked and compiled as Java)");
      }
    }
  }

  /** Every identifier of the file against the allow-list. */
  private static void scan(Source src, PackageDescr pkg, Findings f) {
    List<RuleDescr> rules = pkg == null ? List.of() : pkg.getRules();
    List<Token> tokens = Lexer.tokens(src, f, rules);
    Set<String> factBindings = new HashSet<>();
    for (int i = 0; i + 3 < tokens.size(); i++) {
      Token t = tokens.get(i);
      if (t.isIdentifier() && t.text.startsWith("$") && tokens.get(i + 1).is(":")
          && FACT_NAMES.contains(tokens.get(i + 2).text) && tokens.get(i + 3).is("(")) {
        factBindings.add(t.text);
      }
    }
    String raw = src.raw();
    for (int k = 0; k < raw.length(); k++) {
      int end = Source.unicodeEscapeAt(raw, k);
      if (end > 0) {
        f.add(src.lineAtRaw(k), ruleAt(rules, k), "has the Java unicode escape " + raw.substring(k, end) + ", which rules may not"
            + " use (Java turns it into code, even inside a comment or a string): write the character itself, the"
            + " file is UTF-8");
        k = end - 1;
      }
    }
    boolean inRule = false;
    for (int i = 0; i < tokens.size(); i++) {
      Token t = tokens.get(i);
      if (!t.isIdentifier()) {
        continue;
      }
      String rule = ruleAt(rules, src.rawOffset(t.start));
      if (!inRule && (t.text.equals("package") || t.text.equals("import") || t.text.equals("global"))) {
        // Checked through the parsed declarations above: skip the statement's dotted name (and a global's name).
        i = skipDeclaration(tokens, i);
        continue;
      }
      if (t.text.equals("rule") && !inRule) {
        inRule = true;
        if (i + 1 < tokens.size() && tokens.get(i + 1).isIdentifier()) {
          i++; // a rule name without quotes
        }
        continue;
      }
      if (t.text.equals("extends") && inRule && i + 1 < tokens.size() && tokens.get(i + 1).isIdentifier()) {
        i++; // the name of the parent rule
        continue;
      }
      if (t.text.equals("end") && inRule) {
        inRule = false;
        continue;
      }
      if (!inRule && TOP_LEVEL_CONSTRUCTS.contains(t.text)) {
        // The parsed declarations name it already (when the file parses): skip its body.
        if (pkg == null) {
          f.add(src.line(t.start), null, CONSTRUCTS.get(t.text) + ", which rules may not: " + ALLOWED_IN_WORDS);
        }
        i = skipConstruct(tokens, i);
        continue;
      }
      if (!inRule && !CONSTRUCTS.containsKey(t.text)) {
        f.add(src.line(t.start), rule, "has \"" + t.text + "\" outside a rule, which a rule file may not: it may hold"
            + " only package, import, global and rule ... end");
        i = skipChain(tokens, i);
        continue;
      }
      String why = verdict(tokens, i, factBindings);
      if (why != null) {
        f.add(src.line(t.start), rule, why);
        i = skipChain(tokens, t.text.equals("new") && i + 1 < tokens.size() ? i + 1 : i);
      }
    }
  }

  /** The index of the last token of a function ({@code {...}}) or a query or type declaration ({@code ... end}). */
  private static int skipConstruct(List<Token> tokens, int i) {
    int k = i + 1;
    if (tokens.get(i).text.equals("function")) {
      while (k < tokens.size() && !tokens.get(k).is("{")) {
        k++;
      }
      int depth = 0;
      for (; k < tokens.size(); k++) {
        if (tokens.get(k).is("{")) {
          depth++;
        } else if (tokens.get(k).is("}") && --depth == 0) {
          return k;
        }
      }
      return tokens.size() - 1;
    }
    while (k < tokens.size() && !tokens.get(k).is("end")) {
      k++;
    }
    return Math.min(k, tokens.size() - 1);
  }

  /** Null when the identifier at {@code i} is allowed, else what it does in words. */
  private static String verdict(List<Token> tokens, int i, Set<String> factBindings) {
    Token t = tokens.get(i);
    String name = t.text;
    Token next = i + 1 < tokens.size() ? tokens.get(i + 1) : null;
    String construct = CONSTRUCTS.get(name);
    if (construct != null) {
      return construct + ", which rules may not: " + ALLOWED_IN_WORDS;
    }
    if (name.equals("new")) {
      if (next != null && FACT_NAMES.contains(next.text)) {
        return null;
      }
      return "creates " + (next == null ? "an object" : "a " + chain(tokens, i + 1)) + " with new, which rules may not:"
          + " a rule may only create guardrail facts (" + String.join(", ", FACT_NAMES) + ")";
    }
    if (FACT_ARGUMENT.contains(name) && next != null && next.is("(") && i + 2 < tokens.size()) {
      Token arg = tokens.get(i + 2);
      boolean fact = factBindings.contains(arg.text) && i + 3 < tokens.size() && tokens.get(i + 3).is(")")
          || arg.text.equals("new") && i + 3 < tokens.size() && FACT_NAMES.contains(tokens.get(i + 3).text);
      if (!fact) {
        return "passes " + (arg.isIdentifier() ? chain(tokens, i + 2) : "a value") + " to " + name
            + "(...), which takes only"
            + " a guardrail fact: a fact bound in the condition ($a : " + FACT_NAMES.iterator().next() + "(...))";
      }
      return null;
    }
    if (name.startsWith("$") || name.equals(PARAMS) || DRL_WORDS.contains(name) || JAVA_WORDS.contains(name)
        || FACT_NAMES.contains(name) || METHODS.contains(name)) {
      return null;
    }
    String what = chain(tokens, i);
    boolean call = callAfterChain(tokens, i);
    return (call ? "calls " : "uses ") + what + ", which rules may not " + (call ? "call" : "use") + "; "
        + ALLOWED_IN_WORDS;
  }

  /** The dotted name around {@code i} ({@code java.nio.file.Files.writeString}), qualified for java.lang classes. */
  private static String chain(List<Token> tokens, int i) {
    int start = i;
    while (start >= 2 && tokens.get(start - 1).is(".") && tokens.get(start - 2).isIdentifier()) {
      start -= 2;
    }
    int end = i;
    while (end + 2 < tokens.size() && tokens.get(end + 1).is(".") && tokens.get(end + 2).isIdentifier()) {
      end += 2;
    }
    StringBuilder sb = new StringBuilder();
    for (int k = start; k <= end; k += 2) {
      if (k > start) {
        sb.append('.');
      }
      sb.append(tokens.get(k).text);
    }
    String first = tokens.get(start).text;
    if (!first.isEmpty() && Character.isUpperCase(first.charAt(0)) && isJavaLang(first)) {
      return "java.lang." + sb;
    }
    return sb.toString();
  }

  private static boolean callAfterChain(List<Token> tokens, int i) {
    int end = i;
    while (end + 2 < tokens.size() && tokens.get(end + 1).is(".") && tokens.get(end + 2).isIdentifier()) {
      end += 2;
    }
    return end + 1 < tokens.size() && tokens.get(end + 1).is("(");
  }

  /**
   * The index of the last token of a {@code package}, {@code import} or {@code global} statement at {@code i}: its
   * keyword, a modifier of an import, one dotted name (with {@code .*}), a global's name and a semicolon.
   */
  private static int skipDeclaration(List<Token> tokens, int i) {
    String keyword = tokens.get(i).text;
    int k = i + 1;
    if (keyword.equals("import") && k < tokens.size()
        && Set.of("function", "static", "accumulate").contains(tokens.get(k).text)) {
      k++;
    }
    if (k < tokens.size() && tokens.get(k).isIdentifier()) {
      k = skipChain(tokens, k) + 1;
    }
    if (k + 1 < tokens.size() && tokens.get(k).is(".") && tokens.get(k + 1).is("*")) {
      k += 2;
    }
    if (keyword.equals("global") && k < tokens.size() && tokens.get(k).isIdentifier()) {
      k++;
    }
    if (k < tokens.size() && tokens.get(k).is(";")) {
      k++;
    }
    return k - 1;
  }

  /** The index of the last token of the dotted name that starts at or around {@code i}. */
  private static int skipChain(List<Token> tokens, int i) {
    int end = i;
    while (end + 2 < tokens.size() && tokens.get(end + 1).is(".") && tokens.get(end + 2).isIdentifier()) {
      end += 2;
    }
    return end;
  }

  private static boolean isJavaLang(String simpleName) {
    try {
      Class.forName("java.lang." + simpleName, false, ClassLoader.getPlatformClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** The rule whose text holds {@code rawOffset}, or null; the rules are in the order of the file. */
  private static String ruleAt(List<RuleDescr> rules, int rawOffset) {
    int lo = 0;
    int hi = rules.size() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      RuleDescr r = rules.get(mid);
      if (rawOffset < r.getStartCharacter()) {
        hi = mid - 1;
      } else if (rawOffset > r.getEndCharacter()) {
        lo = mid + 1;
      } else {
        return r.getName();
      }
    }
    return null;
  }

  /** The findings of one file, one per line and name. */
  private static final class Findings {
    final String file;
    final Source src;
    final Set<ValidationMessage> messages = new LinkedHashSet<>();

    Findings(String file, Source src) {
      this.file = file;
      this.src = src;
    }

    void add(int line, String rule, String text) {
      if (messages.size() > MAX_FINDINGS) {
        return;
      }
      if (messages.size() == MAX_FINDINGS) {
        messages.add(new ValidationMessage(Severity.ERROR, file, null, 0, null, "more findings follow; fix the"
            + " ones above and validate again"));
        return;
      }
      StringBuilder sb = new StringBuilder();
      if (line > 0) {
        sb.append("line ").append(line);
      }
      if (rule != null) {
        sb.append(sb.isEmpty() ? "" : ", ").append("rule \"").append(rule).append('"');
      }
      sb.append(sb.isEmpty() ? "" : ": ").append(text);
      messages.add(new ValidationMessage(Severity.ERROR, file, null, 0, null, sb.toString()));
    }
  }

  /**
   * The file as Java sees it: unicode escapes ({@code \u0053}) decoded, as the Java compiler decodes them anywhere in
   * the source, even inside comments and strings. Each character keeps its offset in the file for line numbers.
   */
  record Source(String raw, String text, int[] rawOffsets, int[] lineStarts) {
    static Source of(String raw) {
      StringBuilder sb = new StringBuilder(raw.length());
      int[] offsets = new int[raw.length() + 1];
      int n = 0;
      int i = 0;
      while (i < raw.length()) {
        int escape = unicodeEscapeAt(raw, i);
        offsets[n++] = i;
        if (escape > 0) {
          int hexStart = escape - 4;
          sb.append((char) Integer.parseInt(raw.substring(hexStart, escape), 16));
          i = escape;
        } else {
          sb.append(raw.charAt(i));
          i++;
        }
      }
      offsets[n] = raw.length();
      List<Integer> starts = new ArrayList<>();
      starts.add(0);
      for (int k = 0; k < raw.length(); k++) {
        if (raw.charAt(k) == '\n') {
          starts.add(k + 1);
        }
      }
      return new Source(raw, sb.toString(), Arrays.copyOf(offsets, n + 1),
          starts.stream().mapToInt(Integer::intValue).toArray());
    }

    /** The end of a unicode escape starting at {@code i}, or -1: a backslash preceded by an even number of them. */
    static int unicodeEscapeAt(String s, int i) {
      if (s.charAt(i) != '\\' || i + 1 >= s.length() || s.charAt(i + 1) != 'u') {
        return -1;
      }
      int backslashes = 0;
      for (int k = i - 1; k >= 0 && s.charAt(k) == '\\'; k--) {
        backslashes++;
      }
      if (backslashes % 2 != 0) {
        return -1;
      }
      int k = i + 1;
      while (k < s.length() && s.charAt(k) == 'u') {
        k++;
      }
      if (k + 4 > s.length()) {
        return -1;
      }
      for (int h = k; h < k + 4; h++) {
        if (Character.digit(s.charAt(h), 16) < 0) {
          return -1;
        }
      }
      return k + 4;
    }

    int rawOffset(int decoded) {
      return rawOffsets[Math.min(decoded, rawOffsets.length - 1)];
    }

    /** The 1-based line in the file of decoded position {@code decoded}. */
    int line(int decoded) {
      return lineAtRaw(rawOffset(decoded));
    }

    /** The 1-based line in the file of offset {@code off} of the file. */
    int lineAtRaw(int off) {
      int lo = 0;
      int hi = lineStarts.length - 1;
      while (lo < hi) {
        int mid = (lo + hi + 1) >>> 1;
        if (lineStarts[mid] <= off) {
          lo = mid;
        } else {
          hi = mid - 1;
        }
      }
      return lo + 1;
    }
  }

  /** A token of the decoded text: an identifier, a number or one punctuation character. */
  record Token(String text, int start, boolean isIdentifier) {
    boolean is(String s) {
      return text.equals(s);
    }
  }

  /** Splits the decoded text into tokens; comments and string and character literals are dropped. */
  static final class Lexer {
    private Lexer() {}

    static List<Token> tokens(Source src, Findings f, List<RuleDescr> rules) {
      String s = src.text();
      List<Token> out = new ArrayList<>();
      int i = 0;
      while (i < s.length()) {
        char c = s.charAt(i);
        if (Character.isWhitespace(c)) {
          i++;
        } else if (c == '/' && i + 1 < s.length() && s.charAt(i + 1) == '/') {
          while (i < s.length() && s.charAt(i) != '\n' && s.charAt(i) != '\r') {
            i++;
          }
        } else if (c == '/' && i + 1 < s.length() && s.charAt(i + 1) == '*') {
          int close = s.indexOf("*/", i + 2);
          i = close < 0 ? s.length() : close + 2;
        } else if (c == '"' && s.startsWith("\"\"\"", i)) {
          f.add(src.line(i), ruleAt(rules, src.rawOffset(i)),
              "has a Java text block (\"\"\"), which rules may not use: write a \"string\"");
          i += 3;
        } else if (c == '"' || c == '\'') {
          i = endOfLiteral(s, i, c);
        } else if (Character.isJavaIdentifierStart(c)) {
          int start = i;
          while (i < s.length() && Character.isJavaIdentifierPart(s.charAt(i)) && !Character.isIdentifierIgnorable(
              s.charAt(i))) {
            i++;
          }
          out.add(new Token(s.substring(start, i), start, true));
        } else if (Character.isDigit(c)) {
          int start = i;
          while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_'
              || s.charAt(i) == '.' && i + 1 < s.length() && Character.isDigit(s.charAt(i + 1)))) {
            i++;
          }
          out.add(new Token(s.substring(start, i), start, false));
        } else if (c == '#') {
          // DRL reads # as a line comment in some places and as an inline cast in others, Java not at all: with
          // such a character the check could read a comment where the compiler reads code.
          f.add(src.line(i), ruleAt(rules, src.rawOffset(i)), "has '#', which rules may not use (a DRL comment or an"
              + " inline cast): write comments with // or /* */");
          i++;
        } else if (c == '\\' || Character.isIdentifierIgnorable(c) || Character.isISOControl(c)) {
          f.add(src.line(i), ruleAt(rules, src.rawOffset(i)), "has the character U+"
              + String.format(Locale.ROOT, "%04X", (int) c) + " outside a string, which rules may not use (Java"
              + " ignores some invisible characters inside names)");
          i++;
        } else {
          out.add(new Token(String.valueOf(c), i, false));
          i++;
        }
      }
      return out;
    }

    /** The index after the literal opened by {@code quote} at {@code i}; a backslash escapes the next character. */
    private static int endOfLiteral(String s, int i, char quote) {
      int k = i + 1;
      while (k < s.length()) {
        char ch = s.charAt(k);
        if (ch == '\\') {
          k += 2;
        } else if (ch == quote) {
          return k + 1;
        } else if (ch == '\n') {
          return k; // an unterminated literal: the compiler refuses it, the scan goes on with the next line
        } else {
          k++;
        }
      }
      return s.length();
    }
  }
}
