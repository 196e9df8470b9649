/**
 * The durable notification outbox: rendered notifications wait here until a sender delivers
 * them, retries them or moves them to the dead letters. In memory by default; hooks-jdbc keeps
 * it in a database.
 */
@NullMarked
package dev.hooks.outbox;

import org.jspecify.annotations.NullMarked;
