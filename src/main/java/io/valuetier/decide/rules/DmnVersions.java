package io.valuetier.decide.rules;

import io.valuetier.decide.rules.ValidationMessage.Severity;
import java.io.StringReader;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * The DMN versions the engine reads, told apart by the namespace of {@code <definitions>}. A model in any other
 * namespace is refused with the versions that work and what to do, before the engine's reader fails on it with a
 * class-loading message that names none of this.
 */
final class DmnVersions {
  /** Namespace of each DMN version the engine's readers know, oldest first (taken from the engine's own constants). */
  private static final Map<String, String> READABLE = new LinkedHashMap<>();

  static {
    READABLE.put(org.kie.dmn.model.v1_1.KieDMNModelInstrumentedBase.URI_DMN, "1.1");
    READABLE.put(org.kie.dmn.model.v1_2.KieDMNModelInstrumentedBase.URI_DMN, "1.2");
    READABLE.put(org.kie.dmn.model.v1_3.KieDMNModelInstrumentedBase.URI_DMN, "1.3");
    READABLE.put(org.kie.dmn.model.v1_4.KieDMNModelInstrumentedBase.URI_DMN, "1.4");
    READABLE.put(org.kie.dmn.model.v1_5.KieDMNModelInstrumentedBase.URI_DMN, "1.5");
    READABLE.put(org.kie.dmn.model.v1_6.KieDMNModelInstrumentedBase.URI_DMN, "1.6");
  }

  private DmnVersions() {}

  /** The DMN version ("1.6") of a namespace, or null when the engine cannot read that namespace. */
  static String of(String namespace) {
    return READABLE.get(namespace);
  }

  /** The versions the engine reads, as a reader would write them: {@code 1.1, 1.2, ... and 1.6}. */
  static String readable() {
    var versions = READABLE.values().stream().toList();
    return String.join(", ", versions.subList(0, versions.size() - 1)) + " and " + versions.getLast();
  }

  /**
   * An error when the root {@code <definitions>} of a well-formed file is in a namespace no reader of the engine
   * knows; null when the version is readable, or the root is not {@code <definitions>} (reported elsewhere).
   */
  static ValidationMessage check(String file, String xml) {
    String namespace = rootNamespace(xml);
    if (namespace == null || READABLE.containsKey(namespace)) {
      return null;
    }
    String latest = READABLE.values().stream().reduce((a, b) -> b).orElseThrow();
    return new ValidationMessage(Severity.ERROR, file, null, 0, null,
        "the model is written in a DMN version the engine cannot read (<definitions xmlns=\"" + namespace
            + "\">); it reads DMN " + readable() + " (DMN " + latest + ": xmlns=\""
            + READABLE.entrySet().stream().reduce((a, b) -> b).orElseThrow().getKey()
            + "\"): open the file in the Apache KIE DMN editor 10.2 (it saves DMN " + latest
            + ") or another editor that saves one of these versions, and save it again");
  }

  /** The namespace of the root element when it is {@code definitions}, else null. */
  private static String rootNamespace(String xml) {
    XMLInputFactory f = XMLInputFactory.newFactory();
    f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    try {
      XMLStreamReader r = f.createXMLStreamReader(new StringReader(xml));
      try {
        while (r.hasNext()) {
          if (r.next() == XMLStreamReader.START_ELEMENT) {
            return "definitions".equals(r.getLocalName()) ? nullToEmpty(r.getNamespaceURI()) : null;
          }
        }
        return null;
      } finally {
        r.close();
      }
    } catch (XMLStreamException e) {
      return null; // not well formed: the well-formedness check has already said where
    }
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
