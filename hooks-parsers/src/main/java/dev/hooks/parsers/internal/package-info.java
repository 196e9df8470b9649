/** Helpers shared by the parsers of hooks-parsers. Not API: may change in any release. */
@NullMarked
package dev.hooks.parsers.internal;

import org.jspecify.annotations.NullMarked;
