package dev.hooks.deploy;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where a deployment is; written lower-case in JSON and the state store. */
public enum DeploymentStatus {
  /** Accepted, waiting for the service's pipeline. */
  QUEUED,
  /** Source fetched and image being built. */
  BUILDING,
  /** Container started, health gate running. */
  DEPLOYING,
  /** Healthy; the alias is moving to it. */
  PROMOTING,
  /** The current deployment: its container holds the alias. */
  RUNNING,
  /** Replaced by a newer one; its container is kept stopped for rollback. */
  STOPPED,
  /** Build, start or gate failed, or a restart interrupted it; the reason says which. */
  FAILED,
  /** Cancelled through the admin API or by a newer push during its build. */
  CANCELLED,
  /** A newer push arrived before it started: coalesced into that one. */
  SUPERSEDED,
  /** Pruned by retention: container and image removed. */
  PRUNED;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether the deployment is over (nothing more will happen to it but pruning or a rollback). */
  public boolean isTerminal() {
    return this != QUEUED && this != BUILDING && this != DEPLOYING && this != PROMOTING;
  }

  public static DeploymentStatus fromWire(String s) {
    return valueOf(s.toUpperCase(Locale.ROOT));
  }
}
