/**
 * Rule sets: the files of {@code dmn/} and {@code rules/} read from any folder, validated (schema, model, decision
 * table analysis, DRL compilation), tested against the analysts' test tables, versioned by content hash and swapped in
 * atomically (reload, watch, rollback).
 */
package io.valuetier.decide.rules;
