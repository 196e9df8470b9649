/** Not API: the state codec and the Docker actions behind the public factories. */
@NullMarked
package dev.hooks.remediation.internal;

import org.jspecify.annotations.NullMarked;
