/**
 * Alert router: monitoring alerts mapped by JsonPath, routed by rules, suppressed in maintenance
 * and deduplicated into incidents that open, update and close tickets through {@link
 * dev.hooks.alerts.IncidentSink}s (ConnectWise Manage, PagerDuty, a signed webhook). Start with
 * {@link dev.hooks.alerts.AlertRouter#builder()}.
 */
@NullMarked
package dev.hooks.alerts;

import org.jspecify.annotations.NullMarked;
