package org.kindling.validator;

/** A submission that a step refuses; becomes one record on {@code ingest.errors}. */
public final class RejectedSubmission extends Exception {
  private static final long serialVersionUID = 1L;

  private final String errorType;
  private final String exceptionClass;

  /**
   * @param errorType one of {@link ErrorTypes}
   * @param message why, for {@code error_message}
   * @param cause the underlying exception, or null
   */
  public RejectedSubmission(String errorType, String message, Throwable cause) {
    super(message, cause, false, false);
    this.errorType = errorType;
    this.exceptionClass = cause == null ? null : cause.getClass().getName();
  }

  public RejectedSubmission(String errorType, String message) {
    this(errorType, message, null);
  }

  public String errorType() {
    return errorType;
  }

  /** The class of the underlying exception, or null when a check (not an exception) refused. */
  public String exceptionClass() {
    return exceptionClass;
  }
}
