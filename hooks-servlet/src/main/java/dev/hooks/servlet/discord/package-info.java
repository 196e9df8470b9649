/** The servlet of Discord's interactions webhook (slash commands). */
@NullMarked
package dev.hooks.servlet.discord;

import org.jspecify.annotations.NullMarked;
