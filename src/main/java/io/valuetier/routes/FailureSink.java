package io.valuetier.routes;

/** A caller that wants to hear when its message ends in the dead letter (set as an exchange property). */
@FunctionalInterface
public interface FailureSink {
  String PROPERTY = "valuetierFailureSink";

  void failed(String message);
}
