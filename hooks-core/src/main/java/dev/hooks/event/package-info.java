/** The normalized event every parser produces, and the raw delivery it was made from. */
@NullMarked
package dev.hooks.event;

import org.jspecify.annotations.NullMarked;
