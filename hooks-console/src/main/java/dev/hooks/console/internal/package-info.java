/** The console's sessions and request plumbing; not API. */
@NullMarked
package dev.hooks.console.internal;

import org.jspecify.annotations.NullMarked;
