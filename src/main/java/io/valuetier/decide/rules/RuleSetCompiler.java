package io.valuetier.decide.rules;

import io.valuetier.decide.dmn.DecisionTableInfo;
import io.valuetier.decide.dmn.DmnTables;
import io.valuetier.decide.dmn.TieringModel;
import io.valuetier.decide.guardrails.Guardrails;
import io.valuetier.decide.rules.ValidationMessage.Severity;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParserFactory;
import javax.xml.stream.XMLStreamException;
import org.kie.api.builder.Message;
import org.kie.api.io.Resource;
import org.kie.dmn.api.core.DMNMessage;
import org.kie.dmn.api.core.DMNMessageType;
import org.kie.dmn.api.core.DMNModel;
import org.kie.dmn.api.core.DMNRuntime;
import org.kie.dmn.api.core.DMNType;
import org.kie.dmn.api.marshalling.DMNMarshaller;
import org.kie.dmn.backend.marshalling.v1x.DMNMarshallerFactory;
import org.kie.dmn.core.compiler.RuntimeTypeCheckOption;
import org.kie.dmn.core.internal.utils.DMNRuntimeBuilder;
import org.kie.dmn.feel.util.Either;
import org.kie.dmn.model.api.Definitions;
import org.kie.dmn.validation.DMNValidator;
import org.kie.dmn.validation.DMNValidatorFactory;
import org.kie.dmn.validation.dtanalysis.DMNDTAnalysisMessage;
import org.kie.dmn.validation.dtanalysis.model.DTAnalysis;
import org.kie.dmn.validation.dtanalysis.model.Hyperrectangle;
import org.kie.dmn.validation.dtanalysis.model.Interval;
import org.kie.dmn.validation.dtanalysis.model.Overlap;
import org.kie.internal.io.ResourceFactory;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * The validation gate every rule set passes before it can decide anything: XML schema, model validation and decision
 * table analysis (gaps, overlaps, masked rows, hit-policy problems) with kie-dmn-validation's {@link DMNValidator},
 * compilation on the KIE DMN engine with runtime type checking, the model's contract with the engine, and compilation
 * of the DRL guardrails. Before all of that, the code check ({@link DrlCodeCheck}, {@link DmnCodeCheck}) refuses a
 * rule or model that would call Java beyond the guardrail facts and parameters, so that such a rule set is never
 * compiled nor run, wherever it comes from (files, a simulation, a reload, a rollback). Every finding is translated
 * into a {@link ValidationMessage} that names file, decision, rule row and column and says what to fix.
 *
 * <p>One job: the gate, in the order its checks must run (code check, schema, validation, compilation, contract),
 * with the translation of each library's findings into the analyst's words next to the check that raises them.
 */
public final class RuleSetCompiler {
  private static final Pattern DMN_ID_SUFFIX = Pattern.compile("\\s*\\(DMN id: [^)]*\\)\\s*$");
  private static final Pattern NODE = Pattern.compile("(?:node|decision) '([^']+)'");
  private static final Pattern FEEL_EXPRESSION = Pattern.compile("FEEL expression '(.*?)'");
  private static final Pattern INPUT_CLAUSE = Pattern.compile("input clause #(\\d+)");
  private static final Pattern XML_POSITION = Pattern.compile("lineNumber: (\\d+); columnNumber: (\\d+); (.*)");
  private static DMNValidator validator;

  /** The outcome: a rule set when there were no errors, and every message either way. */
  public record Result(RuleSet ruleSet, List<ValidationMessage> messages) {
    public boolean ok() {
      return ruleSet != null;
    }

    public List<ValidationMessage> errors() {
      return messages.stream().filter(ValidationMessage::isError).toList();
    }
  }

  private RuleSetCompiler() {}

  /** Validates and compiles {@code files}; the result holds a rule set only when nothing is in error. */
  public static Result compile(RuleFiles files) {
    List<ValidationMessage> messages = new ArrayList<>();
    Map<String, String> dmnFiles = files.in(RuleFiles.DMN_DIR, ".dmn");
    Map<String, String> drlFiles = files.in(RuleFiles.RULES_DIR, ".drl");
    if (dmnFiles.isEmpty() && !files.isSingleFile()) {
      messages.add(new ValidationMessage(Severity.ERROR, RuleFiles.DMN_DIR, null, 0, null,
          "no DMN model (*.dmn) found: the rule set needs the customer tiering model"));
    }
    if (!codeIsAllowed(dmnFiles, drlFiles, messages)) {
      return new Result(null, List.copyOf(new LinkedHashSet<>(messages)));
    }
    Map<String, DmnTables> indexes = new HashMap<>();
    boolean readable = true;
    for (var e : dmnFiles.entrySet()) {
      DmnTables index = validateDmn(e.getKey(), e.getValue(), messages);
      if (index == null) {
        readable = false;
      } else {
        indexes.put(e.getKey(), index);
      }
    }
    TieringModel model = null;
    if (readable && !dmnFiles.isEmpty()) {
      model = compileDmn(dmnFiles, indexes, messages, files.isSingleFile());
    }
    Guardrails guardrails = null;
    Guardrails.Compiled drl = Guardrails.compile(drlFiles, files.id());
    for (Guardrails.DrlMessage m : drl.messages()) {
      String where = m.line() > 0 ? "line " + m.line() + (m.column() > 0 ? ", column " + m.column() : "") + ": " : "";
      messages.add(new ValidationMessage(m.error() ? Severity.ERROR : Severity.WARNING, m.file(), null, 0, null,
          where + m.text().strip().replace('\n', ' ') + (m.error() ? " (fix the rule at that line)" : "")));
    }
    guardrails = drl.guardrails();
    if (guardrails != null && drlFiles.isEmpty() && !files.isSingleFile()) {
      messages.add(new ValidationMessage(Severity.WARNING, RuleFiles.RULES_DIR, null, 0, null,
          "no guardrails (*.drl): DMN actions go out unchecked (no consent, fatigue, hold or budget rules)"));
    }
    List<ValidationMessage> unique = List.copyOf(new LinkedHashSet<>(messages));
    boolean errors = unique.stream().anyMatch(ValidationMessage::isError);
    if (errors || model == null || guardrails == null || files.isSingleFile()) {
      return new Result(null, unique);
    }
    return new Result(new RuleSet(files.id(), files, model, guardrails, unique, Instant.now()), unique);
  }

  /**
   * The code check, first of all: a model or rule that would call Java beyond the guardrail facts is refused before
   * anything of the rule set is validated, compiled or run (validation and compilation evaluate parts of it).
   */
  private static boolean codeIsAllowed(
      Map<String, String> dmnFiles, Map<String, String> drlFiles, List<ValidationMessage> messages) {
    boolean allowed = true;
    for (var e : dmnFiles.entrySet()) {
      allowed &= DmnCodeCheck.check(e.getKey(), e.getValue(), messages);
    }
    for (var e : drlFiles.entrySet()) {
      allowed &= DrlCodeCheck.check(e.getKey(), e.getValue(), messages);
    }
    if (!allowed) {
      List<String> files = new ArrayList<>(dmnFiles.keySet());
      files.addAll(drlFiles.keySet());
      messages.add(new ValidationMessage(Severity.INFO, String.join(", ", files), null, 0, null,
          "nothing of this rule set was compiled or run: fix the calls above, then validate again"));
    }
    return allowed;
  }

  private static synchronized DMNValidator validator() {
    if (validator == null) {
      validator = DMNValidatorFactory.newValidator();
    }
    return validator;
  }

  /** Schema, model and decision-table checks of one file; returns its element index, or null if it is unreadable. */
  private static DmnTables validateDmn(String file, String xml, List<ValidationMessage> out) {
    ValidationMessage malformed = wellFormed(file, xml);
    if (malformed != null) {
      out.add(malformed);
      return null;
    }
    ValidationMessage unreadableVersion = DmnVersions.check(file, xml);
    if (unreadableVersion != null) {
      out.add(unreadableVersion);
      return null;
    }
    Definitions definitions;
    try {
      DMNMarshaller marshaller = DMNMarshallerFactory.newDefaultMarshaller();
      definitions = marshaller.unmarshal(xml);
    } catch (RuntimeException e) {
      out.add(xmlError(file, e));
      return null;
    }
    if (definitions == null) {
      out.add(new ValidationMessage(Severity.ERROR, file, null, 0, null,
          "not a DMN model (no <definitions> element): open and save it with the KIE DMN editor"));
      return null;
    }
    DmnTables index = DmnTables.of(file, definitions);
    conventions(file, xml, index, out);
    List<DMNMessage> found;
    synchronized (RuleSetCompiler.class) {
      found =
          validator()
              .validateUsing(
                  DMNValidator.Validation.VALIDATE_SCHEMA,
                  DMNValidator.Validation.VALIDATE_MODEL,
                  DMNValidator.Validation.ANALYZE_DECISION_TABLE)
              .theseModels(new StringReader(xml));
    }
    for (DMNMessage m : found) {
      ValidationMessage vm = translate(file, index, m);
      if (vm != null) {
        out.add(vm);
      }
    }
    return index;
  }

  /** The engine's note that it skipped a table's analysis, with the table's name. */
  private static final Pattern SKIPPED_ANALYSIS =
      Pattern.compile("^Skipped Decision Table Analysis of table '([^']*)'");

  private static final Pattern TABLE_TAG = Pattern.compile("<(?:\\w+:)?decisionTable\\b[^>]*>");
  private static final Pattern TABLE_ID = Pattern.compile("\\bid=\"([^\"]*)\"");

  /**
   * The project's conventions for analysts' tables: every rule row says why it exists in its annotation, and every
   * table states its hit policy instead of relying on the UNIQUE default.
   */
  private static void conventions(String file, String xml, DmnTables index, List<ValidationMessage> out) {
    for (DecisionTableInfo t : index.tables()) {
      for (DecisionTableInfo.Row r : t.rows()) {
        if (r.annotation().isBlank()) {
          out.add(new ValidationMessage(Severity.ERROR, file, t.decision(), r.number(), null,
              "the row has no reason: write in its annotation column, in words, why the row exists"));
        }
      }
    }
    Matcher m = TABLE_TAG.matcher(xml);
    while (m.find()) {
      if (!m.group().contains("hitPolicy=")) {
        Matcher id = TABLE_ID.matcher(m.group());
        DmnTables.Place p = id.find() ? index.place(id.group(1)) : null;
        out.add(new ValidationMessage(Severity.WARNING, file, p == null ? null : p.decision(), 0, null,
            "the decision table does not state its hit policy (the DMN default is UNIQUE): choose it explicitly"));
      }
    }
  }

  /** Checks that the file is well-formed XML, so that a syntax error comes back with its line and column. */
  private static ValidationMessage wellFormed(String file, String xml) {
    try {
      SAXParserFactory f = SAXParserFactory.newInstance();
      f.setNamespaceAware(true);
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      f.setFeature("http://xml.org/sax/features/external-general-entities", false);
      f.newSAXParser().parse(new InputSource(new StringReader(xml)),
          new DefaultHandler());
      return null;
    } catch (SAXParseException e) {
      return new ValidationMessage(Severity.ERROR, file, null, 0, null, "line " + e.getLineNumber() + ", column "
          + e.getColumnNumber() + ": the XML is not well formed (" + e.getMessage()
          + "): fix the markup there, e.g. a missing or mismatched closing tag");
    } catch (SAXException | IOException | ParserConfigurationException e) {
      return new ValidationMessage(Severity.ERROR, file, null, 0, null, "cannot be read as XML: " + e.getMessage());
    }
  }

  private static ValidationMessage xmlError(String file, Throwable e) {
    Throwable t = e;
    String text = null;
    while (t != null) {
      String msg = t.getMessage();
      if (msg != null) {
        Matcher m = XML_POSITION.matcher(msg);
        if (m.find()) {
          text = "line " + m.group(1) + ", column " + m.group(2) + ": the XML is not well formed (" + m.group(3).strip()
              + "): fix the markup there, e.g. a missing or mismatched closing tag";
          break;
        }
        if (t instanceof XMLStreamException xs && xs.getLocation() != null) {
          text = "line " + xs.getLocation().getLineNumber() + ", column " + xs.getLocation().getColumnNumber()
              + ": the XML is not well formed (" + msg.replaceAll("\\s+", " ").strip()
              + "): fix the markup there, e.g. a missing or mismatched closing tag";
          break;
        }
      }
      t = t.getCause();
    }
    if (text == null) {
      Throwable root = e;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      text = "cannot be read as DMN XML (" + root + "): open and save it with the KIE DMN editor";
    }
    return new ValidationMessage(Severity.ERROR, file, null, 0, null, text);
  }

  private static TieringModel compileDmn(
      Map<String, String> dmnFiles, Map<String, DmnTables> indexes, List<ValidationMessage> out, boolean alone) {
    List<Resource> resources = new ArrayList<>();
    Map<String, String> fileOfSource = new HashMap<>();
    for (var e : dmnFiles.entrySet()) {
      Resource r = ResourceFactory.newReaderResource(new StringReader(e.getValue()), "UTF-8");
      r.setSourcePath(e.getKey());
      resources.add(r);
      fileOfSource.put(e.getKey(), e.getKey());
    }
    Either<Exception, DMNRuntime> built =
        DMNRuntimeBuilder.fromDefaults()
            .setOption(new RuntimeTypeCheckOption(true))
            .buildConfiguration()
            .fromResources(resources);
    if (built.isLeft()) {
      Exception ex = built.cata(l -> l, r -> null);
      out.add(new ValidationMessage(Severity.ERROR, String.join(", ", dmnFiles.keySet()), null, 0, null,
          "the DMN engine cannot compile the model (see the errors above): " + ex.getMessage()
              .replaceAll("for the resource ReaderResource\\[.*", "")));
      return null;
    }
    DMNRuntime runtime = built.getOrElse(null);
    DMNModel tiering = null;
    String tieringFile = null;
    boolean compileErrors = false;
    for (DMNModel m : runtime.getModels()) {
      String file = fileOf(m, dmnFiles);
      DmnTables index = indexes.get(file);
      Set<List<Object>> reported = new HashSet<>();
      for (DMNMessage msg : m.getMessages()) {
        ValidationMessage vm = translate(file, index, msg);
        if (vm != null) {
          out.add(vm);
          compileErrors |= vm.isError();
          if (vm.isError()) {
            reported.add(Arrays.asList(vm.decision(), vm.row(), vm.column()));
          }
        }
      }
      if (index != null) {
        compileErrors |= DmnNameCheck.check(file, index, m, reported, out);
        compileErrors |= checkConstantOutputs(file, index, m, out);
      }
      if (m.getDecisionByName(TieringModel.VALUE_TIER) != null) {
        tiering = m;
        tieringFile = file;
      }
    }
    if (tiering == null && alone) {
      return null; // one file validated on its own need not be the tiering model
    }
    if (tiering == null) {
      out.add(new ValidationMessage(Severity.ERROR, String.join(", ", dmnFiles.keySet()), null, 0, null,
          "no model has a decision named '" + TieringModel.VALUE_TIER
              + "': the customer tiering model must decide Value Tier, Marketing Action and Service Level"));
      return null;
    }
    for (String p : TieringModel.contractProblems(tiering)) {
      out.add(new ValidationMessage(Severity.ERROR, tieringFile, null, 0, null,
          p + ": rename it back in the DMN editor (the engine relies on these names)"));
      compileErrors = true;
    }
    if (compileErrors) {
      return null;
    }
    return new TieringModel(runtime, tiering, indexes.get(tieringFile));
  }

  /**
   * Type-checks every constant output cell (a string, number or boolean) against its column's type, including the
   * type's allowed values: the engine itself only notices at evaluation time.
   */
  private static boolean checkConstantOutputs(String file, DmnTables index, DMNModel m, List<ValidationMessage> out) {
    boolean errors = false;
    for (DecisionTableInfo t : index.tables()) {
      var decision = m.getDecisionByName(t.decision());
      if (decision == null || decision.getResultType() == null) {
        continue;
      }
      DMNType result = decision.getResultType();
      for (int c = 0; c < t.outputs().size(); c++) {
        DMNType type = t.outputs().size() == 1 && !result.isComposite()
            ? result
            : result.getFields() == null ? null : result.getFields().get(t.outputs().get(c));
        if (type == null) {
          continue;
        }
        for (DecisionTableInfo.Row row : t.rows()) {
          if (c >= row.then().size()) {
            continue;
          }
          String cell = row.then().get(c).strip();
          Object value = literal(cell);
          if (value != null && !type.isAssignableValue(value)) {
            out.add(new ValidationMessage(Severity.ERROR, file, t.decision(), row.number(), t.outputs().get(c),
                "the output " + cell + " is not a value of type " + type.getName()
                    + ": use one of the values the type allows (Data Types tab of the DMN editor) or add it there"));
            errors = true;
          }
        }
      }
    }
    return errors;
  }

  /** The value of a constant FEEL cell, or null when the cell is an expression or null. */
  private static Object literal(String cell) {
    if (cell.length() >= 2 && cell.startsWith("\"") && cell.endsWith("\"") && cell.indexOf('"', 1) == cell.length() - 1) {
      return cell.substring(1, cell.length() - 1);
    }
    if (cell.equals("true") || cell.equals("false")) {
      return Boolean.valueOf(cell);
    }
    if (cell.matches("-?\\d+(\\.\\d+)?")) {
      return new BigDecimal(cell);
    }
    return null;
  }

  private static String fileOf(DMNModel m, Map<String, String> dmnFiles) {
    if (m.getResource() != null && m.getResource().getSourcePath() != null) {
      return m.getResource().getSourcePath();
    }
    return dmnFiles.size() == 1 ? dmnFiles.keySet().iterator().next() : m.getName();
  }

  /** One engine or validator message in words, or null for notes not worth showing. */
  static ValidationMessage translate(String file, DmnTables index, DMNMessage m) {
    DMNMessageType type = m.getMessageType();
    if (type == DMNMessageType.DECISION_TABLE_ANALYSIS_EMPTY || m.getLevel() == Message.Level.INFO
        && type != DMNMessageType.DECISION_TABLE_ANALYSIS) {
      return null;
    }
    Severity sev =
        switch (m.getSeverity()) {
          case ERROR -> Severity.ERROR;
          case WARN -> Severity.WARNING;
          default -> Severity.INFO;
        };
    DmnTables.Place place = index == null ? null : index.place(m.getSourceId());
    String decision = place == null ? null : place.decision();
    int row = place == null ? 0 : place.row();
    String column = place == null ? null : place.column();
    String text = clean(m.getText());
    if (decision == null) {
      Matcher node = NODE.matcher(text);
      if (node.find()) {
        decision = node.group(1);
      }
    }
    if (place != null && place.row() > 0 && column == null && place.table() != null) {
      Matcher expr = FEEL_EXPRESSION.matcher(text);
      if (expr.find()) {
        column = cellColumn(place.table(), place.row(), expr.group(1));
      }
    }
    if (place != null && place.row() == 0 && column == null && place.table() != null) {
      Matcher clause = INPUT_CLAUSE.matcher(text);
      int n = clause.find() ? Integer.parseInt(clause.group(1)) : 0;
      if (n >= 1 && n <= place.table().inputs().size()) {
        column = place.table().inputs().get(n - 1); // the engine names an input expression's column by number
      }
    }
    Matcher skipped = SKIPPED_ANALYSIS.matcher(text);
    if (skipped.find()) {
      // the engine's reason is a library exception's message (e.g. a null pointer from a cell it could not parse)
      return new ValidationMessage(sev, file, decision != null ? decision : skipped.group(1), 0, null,
          "gaps and overlaps of this table were not checked: the analysis could not read every cell (an error in a"
              + " cell, listed with this table, is the usual cause); fix the errors and validate again");
    }
    if (m instanceof DMNDTAnalysisMessage dta) {
      DTAnalysis a = dta.getAnalysis();
      DecisionTableInfo table = index == null || a == null ? null : index.table(a.nameOrIDOfTable());
      if (table == null && index != null && decision != null) {
        table = index.table(decision);
      }
      if (decision == null && a != null) {
        decision = a.nameOrIDOfTable();
      }
      text = analysisText(type, dta, a, table, text);
      row = 0;
      column = null;
    } else if (type == DMNMessageType.ERR_COMPILING_FEEL && text.contains("Unknown variable '")) {
      text = text + ": an expression can name only the decision's inputs and required decisions (the arrows into it"
          + " in the diagram) or a constant; correct the name, or connect the missing input in the diagram";
    } else {
      text = text + hint(type);
    }
    return new ValidationMessage(sev, file, decision, row, column, text);
  }

  /** The column of the cell of {@code row} whose text is {@code cellText}, or null. */
  private static String cellColumn(DecisionTableInfo table, int row, String cellText) {
    DecisionTableInfo.Row r = table.row(row);
    for (int i = 0; i < r.when().size(); i++) {
      if (r.when().get(i).strip().equals(cellText.strip()) && i < table.inputs().size()) {
        return table.inputs().get(i);
      }
    }
    for (int i = 0; i < r.then().size(); i++) {
      if (r.then().get(i).strip().equals(cellText.strip()) && i < table.outputs().size()) {
        return table.outputs().get(i);
      }
    }
    return null;
  }

  private static String clean(String text) {
    String t = text == null ? "" : text.strip();
    if (t.startsWith("DMN: ")) {
      t = t.substring(5);
    }
    return DMN_ID_SUFFIX.matcher(t).replaceFirst("").strip();
  }

  private static String hint(DMNMessageType type) {
    return switch (type) {
      case ERR_COMPILING_FEEL, FEEL_EVALUATION_ERROR, INVALID_SYNTAX ->
          ": correct the FEEL expression in that cell (e.g. < 90, [50..80), \"Gold\", true, -)";
      case TYPE_DEF_NOT_FOUND, TYPE_REF_NOT_FOUND, MISSING_TYPE_REF, TYPEREF_MISMATCH, ERROR_EVAL_NODE ->
          ": use a type defined in the model (tSomething) or a FEEL built-in type, and values of that type";
      case REQ_NOT_FOUND, DECISION_NOT_FOUND -> ": connect the missing input or decision in the diagram";
      case FAILED_XML_VALIDATION -> ": the file does not follow the schema of its DMN version; open and save it in the"
          + " KIE DMN editor";
      case ILLEGAL_USE_OF_TYPEREF -> ": clear the output column's type and keep the decision's type";
      case MISSING_EXPRESSION -> ": give the decision a decision table or expression";
      default -> "";
    };
  }

  private static String analysisText(
      DMNMessageType type, DMNDTAnalysisMessage m, DTAnalysis a, DecisionTableInfo table, String fallback) {
    String hitPolicy = table == null ? "?" : table.hitPolicy();
    Collection<Integer> rules = m.getRules() == null ? List.of() : m.getRules();
    switch (type) {
      case DECISION_TABLE_OVERLAP, DECISION_TABLE_OVERLAP_HITPOLICY_UNIQUE, DECISION_TABLE_OVERLAP_HITPOLICY_ANY -> {
        Overlap o = findOverlap(a, rules);
        String where = o == null ? "" : " for " + region(o.getOverlap(), a, table, differing(table, rules));
        return "rules " + and(rules) + " overlap" + where + " under hit policy " + hitPolicy
            + ": make the ranges disjoint or change the hit policy to FIRST (the first matching row wins)";
      }
      case DECISION_TABLE_GAP -> {
        if (a != null && !a.getGaps().isEmpty() && fallback.toLowerCase(Locale.ROOT).contains("gap detected")) {
          StringBuilder sb = new StringBuilder();
          for (Hyperrectangle g : a.getGaps()) {
            if (!sb.isEmpty()) {
              sb.append("; ");
            }
            sb.append(region(g, a, table, null));
          }
          return "no rule covers " + sb + ": add a row for these values or widen a neighbouring range";
        }
        return fallback;
      }
      case DECISION_TABLE_MASKED_RULE ->
          {
            return fallback + ": under hit policy " + hitPolicy
                + " that row can never be chosen; move it above the row that masks it or narrow that row";
          }
      case DECISION_TABLE_HITPOLICY_RECOMMENDER, DECISION_TABLE_1STNFVIOLATION ->
          {
            if (hitPolicy.equals("FIRST") || hitPolicy.equals("PRIORITY") || hitPolicy.equals("RULE ORDER")) {
              return fallback + " (a suggestion: " + hitPolicy
                  + " is fine when the order of the rows states their priority)";
            }
            return fallback + ": under " + hitPolicy + " overlapping rows are a mistake; make them disjoint or choose"
                + " a hit policy that says which row wins (FIRST, PRIORITY)";
          }
      default -> {
        return fallback;
      }
    }
  }

  private static Overlap findOverlap(DTAnalysis a, Collection<Integer> rules) {
    if (a == null) {
      return null;
    }
    Set<Integer> want = new HashSet<>(rules);
    for (Overlap o : a.getOverlaps()) {
      if (new HashSet<>(o.getRules()).equals(want)) {
        return o;
      }
    }
    return a.getOverlaps().isEmpty() ? null : a.getOverlaps().get(0);
  }

  /** A region of the input space, named by column: {@code Value Percentile in [80..90]}. */
  /** The input columns in which the cells of {@code rules} are not all the same (where an overlap can be fixed). */
  private static Set<Integer> differing(DecisionTableInfo table, Collection<Integer> rules) {
    Set<Integer> cols = new HashSet<>();
    if (table == null) {
      return null;
    }
    for (int i = 0; i < table.inputs().size(); i++) {
      Set<String> cells = new HashSet<>();
      for (int r : rules) {
        List<String> when = table.row(r).when();
        cells.add(i < when.size() ? when.get(i).strip() : "");
      }
      if (cells.size() > 1) {
        cols.add(i);
      }
    }
    return cols.isEmpty() ? null : cols;
  }

  private static String region(Hyperrectangle h, DTAnalysis a, DecisionTableInfo table, Set<Integer> only) {
    String human;
    try {
      human = h.asHumanFriendly(a.getDdtaTable());
    } catch (RuntimeException e) {
      human = h.toString();
    }
    if (table == null) {
      return human;
    }
    StringBuilder sb = new StringBuilder();
    List<Interval> edges = h.getEdges();
    for (int i = 0; i < edges.size() && i < table.inputs().size(); i++) {
      String iv = edges.get(i).toString().replace(" .. ", "..").replace("[ ", "[").replace(" ]", "]").replace("( ", "(")
          .replace(" )", ")");
      if (iv.contains("-Inf..+Inf") || only != null && !only.contains(i)) {
        continue;
      }
      if (!sb.isEmpty()) {
        sb.append(" and ");
      }
      sb.append(table.inputs().get(i)).append(" in ").append(iv);
    }
    return sb.isEmpty() ? human : sb.toString();
  }

  private static String and(Collection<Integer> rules) {
    List<Integer> r = new ArrayList<>(rules);
    Collections.sort(r);
    if (r.size() <= 1) {
      return r.toString().replaceAll("[\\[\\]]", "");
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < r.size(); i++) {
      if (i > 0) {
        sb.append(i == r.size() - 1 ? " and " : ", ");
      }
      sb.append(r.get(i));
    }
    return sb.toString();
  }
}
