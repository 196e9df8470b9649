/** Not API: SQL dialects, group commit and row mapping behind hooks-jdbc. May change in any release. */
@NullMarked
package dev.hooks.jdbc.internal;

import org.jspecify.annotations.NullMarked;
