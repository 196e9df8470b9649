/** Not API: helpers of hooks-notify that may change in any release. */
@NullMarked
package dev.hooks.notify.internal;

import org.jspecify.annotations.NullMarked;
