package io.valuetier.decide.dmn;

import io.valuetier.decide.DecisionInput;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.kie.dmn.api.core.DMNContext;
import org.kie.dmn.api.core.DMNDecisionResult;
import org.kie.dmn.api.core.DMNMessage;
import org.kie.dmn.api.core.DMNModel;
import org.kie.dmn.api.core.DMNResult;
import org.kie.dmn.api.core.DMNRuntime;
import org.kie.dmn.api.core.event.AfterEvaluateDecisionTableEvent;
import org.kie.dmn.api.core.event.DMNRuntimeEventListener;
import org.kie.kogito.dmn.DmnDecisionModel;

/**
 * The compiled customer tiering model: evaluates one customer through Kogito's {@link DmnDecisionModel} on the KIE DMN
 * engine (runtime type checking on) and records which rule rows were selected, through a decision-table listener,
 * without a second evaluation.
 *
 * <p>The model's contract (names only, no thresholds): input data {@value #PREDICTION} and {@value #CUSTOMER}, and the
 * decisions {@value #VALUE_TIER}, {@value #MARKETING_ACTION} (with components Action Code, Channel, Offer, Priority,
 * Offer Cost) and {@value #SERVICE_LEVEL}. Thread-safe: one instance serves every thread.
 */
public final class TieringModel {
  public static final String PREDICTION = "Prediction";
  public static final String CUSTOMER = "Customer";
  public static final String VALUE_TIER = "Value Tier";
  public static final String MARKETING_ACTION = "Marketing Action";
  public static final String SERVICE_LEVEL = "Service Level";
  /** The components the Marketing Action decision must have. */
  public static final List<String> ACTION_FIELDS = List.of("Action Code", "Channel", "Offer", "Priority", "Offer Cost");
  /**
   * The optional component of the Marketing Action: how many of the customer's product picks the action carries. A
   * model without it (an older rule set) gives actions without products.
   */
  public static final String PRODUCTS = "Products";
  /** Components of the Prediction type that carry the prediction interval, passed when the type declares them. */
  public static final String SPEND_LOW = "Predicted Spend Low";
  public static final String SPEND_HIGH = "Predicted Spend High";

  private final DmnDecisionModel decisionModel;
  private final DMNModel model;
  private final DmnTables tables;
  private final List<DecisionTableInfo> tableList;
  private final Map<String, Integer> tableIndex = new HashMap<>();
  private final ThreadLocal<RowCollector> collector = ThreadLocal.withInitial(RowCollector::new);
  /** The model's cells, or null when its outcome cannot be remembered per cell (see {@link DecisionCells}). */
  private final DecisionCells cells;
  /** Whether the model's Prediction type declares the interval's components (then they are passed). */
  private final boolean intervals;
  private final ConcurrentHashMap<String, DmnResult> byCell =
      new ConcurrentHashMap<>();
  /** Cells remembered at most (a model with text columns of many values would otherwise grow without bound). */
  static final int MAX_CELLS = 100_000;

  /** Wraps a compiled runtime whose model {@code namespace}/{@code name} is the tiering model. */
  public TieringModel(DMNRuntime runtime, DMNModel model, DmnTables tables) {
    this.model = model;
    this.tables = tables;
    this.tableList = tables.tables();
    for (int i = 0; i < tableList.size(); i++) {
      tableIndex.put(tableList.get(i).decision(), i);
    }
    runtime.addListener(
        new DMNRuntimeEventListener() {
          @Override
          public void afterEvaluateDecisionTable(AfterEvaluateDecisionTableEvent e) {
            Integer t = tableIndex.get(e.getNodeName());
            if (t != null) {
              collector.get().add(t, e.getSelected());
            }
          }
        });
    this.decisionModel = new DmnDecisionModel(runtime, model.getNamespace(), model.getName());
    this.cells = DecisionCells.of(model.getDefinitions()).orElse(null);
    var prediction = model.getInputByName(PREDICTION);
    var fields = prediction == null || prediction.getType() == null ? null : prediction.getType().getFields();
    this.intervals = fields != null && fields.containsKey(SPEND_LOW) && fields.containsKey(SPEND_HIGH);
  }

  /** Whether the model reads the prediction interval (its Prediction type declares {@value #SPEND_LOW}, ...). */
  public boolean readsIntervals() {
    return intervals;
  }

  /** Whether outcomes are remembered per cell of the inputs (a model of decision tables of constants). */
  public boolean remembersCells() {
    return cells != null;
  }

  /** The contract problems of a compiled model, in words (empty when it fits). */
  public static List<String> contractProblems(DMNModel model) {
    List<String> problems = new ArrayList<>();
    for (String input : List.of(PREDICTION, CUSTOMER)) {
      if (model.getInputByName(input) == null) {
        problems.add("the model has no input data '" + input + "': the engine passes the prediction and the customer facts"
            + " under these names");
      }
    }
    for (String decision : List.of(VALUE_TIER, MARKETING_ACTION, SERVICE_LEVEL)) {
      if (model.getDecisionByName(decision) == null) {
        problems.add("the model has no decision '" + decision + "': the engine reads its result under this name");
      }
    }
    var action = model.getDecisionByName(MARKETING_ACTION);
    if (action != null && action.getResultType() != null) {
      var fields = action.getResultType().getFields();
      for (String f : ACTION_FIELDS) {
        if (fields == null || !fields.containsKey(f)) {
          problems.add("decision '" + MARKETING_ACTION + "' has no output component '" + f + "'");
        }
      }
    }
    return problems;
  }

  /**
   * Evaluates every decision for one customer. The first customer of each cell of the inputs goes to the engine; the
   * others of the same cell get the same outcome (see {@link DecisionCells}).
   */
  public DmnResult evaluate(DecisionInput in) {
    Map<String, Object> inputs = inputs(in, intervals);
    if (cells == null) {
      return evaluateOnEngine(in, inputs);
    }
    String cell = cells.key(inputs);
    DmnResult known = byCell.get(cell);
    if (known != null) {
      return known;
    }
    DmnResult outcome = evaluateOnEngine(in, inputs);
    if (byCell.size() < MAX_CELLS) {
      byCell.putIfAbsent(cell, outcome);
    }
    return outcome;
  }

  /** Evaluates on the engine, whatever the cells (for tests that compare both). */
  public DmnResult evaluateOnEngine(DecisionInput in) {
    return evaluateOnEngine(in, inputs(in, intervals));
  }

  private DmnResult evaluateOnEngine(DecisionInput in, Map<String, Object> inputs) {
    RowCollector rows = collector.get();
    rows.reset();
    DMNContext ctx = decisionModel.newContext(inputs);
    DMNResult result = decisionModel.evaluateAll(ctx);
    if (result.hasErrors()) {
      throw new DmnEvaluationException("customer " + in.customerId() + ": " + errors(result));
    }
    Object tier = value(result, VALUE_TIER);
    Object action = value(result, MARKETING_ACTION);
    Object service = value(result, SERVICE_LEVEL);
    if (!(action instanceof Map<?, ?> a)) {
      throw new DmnEvaluationException(
          "customer " + in.customerId() + ": decision '" + MARKETING_ACTION + "' gave no action (no rule matched?)");
    }
    Object priority = a.get("Priority");
    Object cost = a.get("Offer Cost");
    Object products = a.get(PRODUCTS);
    return new DmnResult(
        (String) tier,
        (String) a.get("Action Code"),
        (String) a.get("Channel"),
        (String) a.get("Offer"),
        priority instanceof BigDecimal p ? p.intValue() : null,
        cost instanceof BigDecimal c ? c : BigDecimal.ZERO,
        (String) service,
        rows.toArray(),
        products instanceof BigDecimal n ? Math.max(0, n.intValue()) : 0);
  }

  private static Object value(DMNResult result, String decision) {
    DMNDecisionResult r = result.getDecisionResultByName(decision);
    return r == null ? null : r.getResult();
  }

  private static String errors(DMNResult result) {
    StringBuilder sb = new StringBuilder();
    for (DMNMessage m : result.getMessages(DMNMessage.Severity.ERROR)) {
      if (!sb.isEmpty()) {
        sb.append("; ");
      }
      sb.append(m.getText());
    }
    return sb.toString();
  }

  /** The inputs as the model's input data expects them; numbers as BigDecimal (the engine's own number type). */
  public static Map<String, Object> inputs(DecisionInput in) {
    return inputs(in, false);
  }

  /** As {@link #inputs(DecisionInput)}, with the prediction interval when {@code intervals}. */
  public static Map<String, Object> inputs(DecisionInput in, boolean intervals) {
    Map<String, Object> prediction = HashMap.newHashMap(7);
    if (intervals) {
      prediction.put(SPEND_LOW, in.predictedSpendLow());
      prediction.put(SPEND_HIGH, in.predictedSpendHigh());
    }
    prediction.put("Predicted Spend", in.predictedSpend());
    prediction.put("Value Percentile", in.valuePercentile());
    prediction.put("Probability Active", in.probabilityActive());
    prediction.put("Cold Start", in.coldStart());
    prediction.put("Model Version", in.modelVersion());
    Map<String, Object> customer = HashMap.newHashMap(7);
    customer.put("Tenure Days", in.tenureDays());
    customer.put("Marketing Consent", in.marketingConsent());
    customer.put("Loyalty Member", in.loyaltyMember());
    customer.put("Returns Ratio", in.returnsRatio());
    customer.put("Open Complaints", in.openComplaints());
    customer.put("Country", in.country());
    customer.put("Segment", in.segment());
    Map<String, Object> all = HashMap.newHashMap(2);
    all.put(PREDICTION, prediction);
    all.put(CUSTOMER, customer);
    return all;
  }

  /** The raw engine: one {@code DmnDecisionModel.evaluateAll} on the same inputs, for benchmarks. */
  public DMNResult evaluateRaw(DecisionInput in) {
    return decisionModel.evaluateAll(decisionModel.newContext(inputs(in, intervals)));
  }

  /** The decision tables in document order. */
  public List<DecisionTableInfo> tables() {
    return tableList;
  }

  /** Element ids to places, for messages. */
  public DmnTables index() {
    return tables;
  }

  public DMNModel model() {
    return model;
  }

  /** The matched rows as text: {@code Value Tier#4;Marketing Action#3;Service Level#5}. */
  public String describeRows(int[] matched) {
    StringBuilder sb = new StringBuilder(48);
    for (int m : matched) {
      if (!sb.isEmpty()) {
        sb.append(';');
      }
      int t = DmnResult.table(m);
      sb.append(t < tableList.size() ? tableList.get(t).decision() : "table " + t).append('#').append(DmnResult.row(m));
    }
    return sb.toString();
  }

  /** The reasons (row annotations) of the matched rows, in table order. */
  public List<String> reasons(int[] matched) {
    List<String> out = new ArrayList<>(matched.length);
    for (int m : matched) {
      int t = DmnResult.table(m);
      if (t < tableList.size()) {
        out.add(tableList.get(t).row(DmnResult.row(m)).annotation());
      }
    }
    return out;
  }

  /** Collects the selected rows of one evaluation on the evaluating thread. */
  private static final class RowCollector {
    private int[] buf = new int[8];
    private int n;

    void reset() {
      n = 0;
    }

    void add(int table, List<Integer> selected) {
      for (Integer row : selected) {
        if (n == buf.length) {
          buf = Arrays.copyOf(buf, n * 2);
        }
        buf[n++] = table << 16 | row;
      }
    }

    int[] toArray() {
      int[] out = Arrays.copyOf(buf, n);
      Arrays.sort(out);
      return out;
    }
  }
}
