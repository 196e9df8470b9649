/** Alert router: monitoring alerts mapped, routed, suppressed in maintenance and deduplicated into incidents. */
package dev.hooks.alerts;
