package io.valuetier.decide.rules;

import io.valuetier.decide.dmn.TieringModel;
import io.valuetier.decide.guardrails.Guardrails;
import java.time.Instant;
import java.util.List;

/**
 * One compiled, validated rule set: the tiering model and the guardrails of one version of the files. Immutable and
 * thread-safe; several can be held at once (the active one, a candidate for a what-if run, a challenger).
 */
public record RuleSet(
    String version,
    RuleFiles files,
    TieringModel model,
    Guardrails guardrails,
    List<ValidationMessage> messages,
    Instant compiledAt) {}
