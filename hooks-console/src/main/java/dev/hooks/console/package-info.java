/**
 * hooks-console: a web console for operators, served by a servlet container next to the admin
 * API whose routes it calls. See {@link dev.hooks.console.HooksConsoleServlet}.
 */
@NullMarked
package dev.hooks.console;

import org.jspecify.annotations.NullMarked;
