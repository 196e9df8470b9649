package dev.hooks.alerts;

/** What an alert asks of its incident, from the endpoint's trigger field. */
public enum AlertAction {
  /** The trigger's value is one of the open values: open an incident, or note a repeat. */
  OPEN,
  /** The trigger's value is one of the close values: close the open incident. */
  CLOSE,
  /** Neither: a note on an open incident, else skipped. */
  OTHER
}
