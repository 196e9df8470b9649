package dev.hooks.journal;

/** Entry counts by status, for the status page. */
public record JournalCounts(long pending, long done, long dead) {}
