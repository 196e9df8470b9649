/** Internals of hooks-alerts: not API, may change without notice. */
@NullMarked
package dev.hooks.alerts.internal;

import org.jspecify.annotations.NullMarked;
