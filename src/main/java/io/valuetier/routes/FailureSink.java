package io.valuetier.routes;

/** A caller that wants to hear when its message ends in the dead letter (set as an exchange property). */
@FunctionalInterface
public interface FailureSink {
  String PROPERTY = "valuetierFailureSink";

  /** The property that carries a run (an ingest run) which hears of its own failure, beside any other sink. */
  String RUN_PROPERTY = "valuetierRun";

  void failed(String message);
}
