/** Off the request thread: at-least-once delivery of journaled events to their handlers. */
@NullMarked
package dev.hooks.dispatch;

import org.jspecify.annotations.NullMarked;
