/**
 * {@link dev.hooks.parse.PayloadParser} implementations for git hosts, CI, containers and
 * monitoring tools, a JsonPath-mapped parser for anything else, and {@link
 * dev.hooks.parsers.PayloadParsers}, the factory that picks one by provider name or by the
 * headers of each delivery. Every parser maps its provider's events onto the vocabulary of {@link
 * dev.hooks.event.EventTypes} and {@link dev.hooks.event.EventActions}; {@link
 * dev.hooks.parsers.AlertGroups#split} makes one event per alert of an alert group, and {@link
 * dev.hooks.parsers.SupervisorListenerEvent} reads supervisord's event listener text.
 *
 * <p>Every parser here is immutable and thread-safe, deterministic for the same delivery, and never
 * throws for bad input: a body it cannot read is a {@link dev.hooks.parse.ParseResult#failed
 * failure} whose reason names the bad input.
 */
@NullMarked
package dev.hooks.parsers;

import org.jspecify.annotations.NullMarked;
