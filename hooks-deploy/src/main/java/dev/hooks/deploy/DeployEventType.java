package dev.hooks.deploy;

import java.util.Locale;

/** The steps notified, by the push-to-deploy names senders and chat bots already know. */
public enum DeployEventType {
  WEBHOOK_RECEIVED,
  BUILD_STARTED,
  BUILD_COMPLETED,
  BUILD_FAILED,
  DEPLOYMENT_STARTED,
  DEPLOYMENT_COMPLETED,
  DEPLOYMENT_FAILED,
  DEPLOYMENT_ROLLBACK,
  DEPLOYMENT_ROLLBACK_FAILED;

  /** Such as {@code build_started}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
