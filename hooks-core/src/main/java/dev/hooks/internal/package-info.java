/** Implementation details of hooks-core. Not API: may change in any release. */
@NullMarked
package dev.hooks.internal;

import org.jspecify.annotations.NullMarked;
