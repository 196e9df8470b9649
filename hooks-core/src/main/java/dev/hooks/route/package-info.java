/** Rules that choose the handlers of an event. */
@NullMarked
package dev.hooks.route;

import org.jspecify.annotations.NullMarked;
