/**
 * hooks-server's log: an SLF4J binding writing slf4j-simple's plain lines on stderr, or one JSON
 * object per line on stdout ({@code logging.format: json}).
 */
@NullMarked
package dev.hooks.server.logging;

import org.jspecify.annotations.NullMarked;
