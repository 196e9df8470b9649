package dev.hooks.outbox;

/**
 * How many messages an outbox holds in each state, for the status page and tests.
 *
 * @param pending waiting or being sent
 * @param delivered accepted by their target and not yet purged
 * @param dead in the dead letters
 */
public record OutboxCounts(long pending, long delivered, long dead) {}
