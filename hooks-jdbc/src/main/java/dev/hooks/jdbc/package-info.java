/**
 * A durable {@link dev.hooks.journal.EventJournal} and {@link dev.hooks.state.StateStore} over
 * JDBC: an embedded H2 file for one process, PostgreSQL for several replicas. Start at
 * {@link dev.hooks.jdbc.JdbcJournals}.
 */
@NullMarked
package dev.hooks.jdbc;

import org.jspecify.annotations.NullMarked;
