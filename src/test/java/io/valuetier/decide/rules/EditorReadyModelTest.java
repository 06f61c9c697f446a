package io.valuetier.decide.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.decide.TestRuleSets;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * The shipped models keep what an analyst must read in places the DMN editor keeps (descriptions, not XML comments,
 * which the editor drops on save), and every decision table has a width for each of its columns, so the editor
 * shows whole expressions instead of cut-off ones.
 */
class EditorReadyModelTest {
  private static final String DMN_NS = "https://www.omg.org/spec/DMN/20230324/MODEL/";
  private static final String KIE_NS = "https://kie.org/dmn/extensions/1.0";

  private static Map<String, String> models() {
    Map<String, String> models = TestRuleSets.shipped().files().in(RuleFiles.DMN_DIR, ".dmn");
    assertFalse(models.isEmpty());
    return models;
  }

  private static Document parse(String xml) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return f.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
  }

  @Test
  void noShippedModelKeepsTextInXmlCommentsThatTheEditorWouldDrop() {
    models().forEach((file, xml) -> assertFalse(xml.contains("<!--"), file + " has an XML comment: move it into a"
        + " <description> of the element it is about"));
  }

  @Test
  void theModelAndEveryDecisionDescribeThemselves() throws Exception {
    for (var e : models().entrySet()) {
      Document d = parse(e.getValue());
      Element definitions = d.getDocumentElement();
      assertTrue(firstChild(definitions, "description").getTextContent().contains("guardrails"),
          e.getKey() + ": the model's description lost the note on the guardrails that follow the tables");
      NodeList decisions = d.getElementsByTagNameNS(DMN_NS, "decision");
      for (int i = 0; i < decisions.getLength(); i++) {
        Element decision = (Element) decisions.item(i);
        assertFalse(firstChild(decision, "description").getTextContent().isBlank(),
            e.getKey() + ": decision " + decision.getAttribute("name") + " has no description");
      }
    }
  }

  @Test
  void everyDecisionTableHasAWidthForTheRowNumberAndEachOfItsColumns() throws Exception {
    for (var e : models().entrySet()) {
      Document d = parse(e.getValue());
      Map<String, List<Double>> widths = new HashMap<>();
      NodeList sets = d.getElementsByTagNameNS(KIE_NS, "ComponentWidths");
      for (int i = 0; i < sets.getLength(); i++) {
        Element set = (Element) sets.item(i);
        List<Double> w = new ArrayList<>();
        NodeList ws = set.getElementsByTagNameNS(KIE_NS, "width");
        for (int j = 0; j < ws.getLength(); j++) {
          w.add(Double.parseDouble(ws.item(j).getTextContent().strip()));
        }
        widths.put(set.getAttribute("dmnElementRef"), w);
      }
      NodeList tables = d.getElementsByTagNameNS(DMN_NS, "decisionTable");
      assertTrue(tables.getLength() > 0);
      for (int i = 0; i < tables.getLength(); i++) {
        Element t = (Element) tables.item(i);
        int columns = 1 + t.getElementsByTagNameNS(DMN_NS, "input").getLength()
            + t.getElementsByTagNameNS(DMN_NS, "output").getLength()
            + t.getElementsByTagNameNS(DMN_NS, "annotation").getLength();
        List<Double> w = widths.get(t.getAttribute("id"));
        assertNotNull(w, e.getKey() + ": table " + t.getAttribute("id") + " has no kie:ComponentWidths");
        assertEquals(columns, w.size(), e.getKey() + ": table " + t.getAttribute("id")
            + " needs one width for the row number and one per input, output and annotation column");
        assertTrue(w.stream().skip(1).allMatch(x -> x >= 90), e.getKey() + ": a column narrower than 90 px: " + w);
      }
    }
  }

  private static Element firstChild(Element parent, String localName) {
    NodeList children = parent.getChildNodes();
    for (int i = 0; i < children.getLength(); i++) {
      if (children.item(i) instanceof Element c && localName.equals(c.getLocalName())) {
        return c;
      }
    }
    throw new AssertionError(parent.getAttribute("name") + " has no <" + localName + ">");
  }
}
