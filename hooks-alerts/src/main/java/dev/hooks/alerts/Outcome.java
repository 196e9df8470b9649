package dev.hooks.alerts;

/** What became of one alert, as history records it. */
public enum Outcome {
  CREATED, UPDATED, CLOSED, REOPENED, SKIPPED, FAILED
}
