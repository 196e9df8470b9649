/** The request-thread pipeline: endpoint lookup, bounded read, verify, parse, dedupe, journal, answer. */
@NullMarked
package dev.hooks.ingress;

import org.jspecify.annotations.NullMarked;
