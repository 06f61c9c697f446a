package io.valuetier.decide.dmn;

/** The DMN engine could not decide for one customer (a FEEL error, a value of the wrong type, no rule matched). */
public final class DmnEvaluationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DmnEvaluationException(String message) {
    super(message);
  }
}
