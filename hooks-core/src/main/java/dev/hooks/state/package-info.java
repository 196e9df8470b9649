/** Versioned state shared by handlers (failure counts, deploy locks), updated by compare-and-set. */
@NullMarked
package dev.hooks.state;

import org.jspecify.annotations.NullMarked;
