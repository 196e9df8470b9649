package dev.hooks.alerts;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The incident of one fingerprint, as an {@link IncidentStore} keeps it.
 *
 * @param fingerprint the incident's key
 * @param sink the sink that filed it
 * @param ticket the sink's reference (a ConnectWise ticket id, a PagerDuty dedup key)
 * @param open whether it is open
 * @param openedAt when it was (re)opened
 * @param closedAt when it was last closed, or null
 * @param updates notes added for repeats
 * @param lastKey the key ({@link Alert#key()}) of the last alert applied, so a retried delivery applies once
 */
public record Incident(String fingerprint, String sink, String ticket, boolean open, Instant openedAt, @Nullable Instant closedAt,
    int updates, String lastKey) {}
