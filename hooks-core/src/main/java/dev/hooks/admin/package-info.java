/**
 * Run-time management of inbound endpoints, as an HTTP admin API exposes it: create, list,
 * enable, filter, template, test and delete, with JSON-friendly values so that an adapter
 * (hooks-servlet's {@code HooksAdminServlet}) can serve any implementation.
 */
@NullMarked
package dev.hooks.admin;

import org.jspecify.annotations.NullMarked;
