package dev.hooks.alerts;

import org.jspecify.annotations.Nullable;

/**
 * What a sink files for an incident: the alert's mapped values with the routing overrides applied.
 *
 * @param fingerprint the incident's key
 * @param summary the summary, prefix included
 * @param description the description
 * @param severity the mapped severity, or empty
 * @param board the board, or null for the sink's default
 * @param company the company identifier, or null for the sink's default
 * @param priority the priority, or null for the sink's default
 * @param status the status of a new ticket, or null for the sink's default
 */
public record Ticket(String fingerprint, String summary, String description, String severity, @Nullable String board,
    @Nullable String company, @Nullable String priority, @Nullable String status) {}
