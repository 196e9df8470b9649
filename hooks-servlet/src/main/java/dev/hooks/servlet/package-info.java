/**
 * {@link dev.hooks.servlet.HooksServlet}: mounts a {@link dev.hooks.Hooks} instance in any
 * Jakarta Servlet 6 container ({@code POST /hooks/{endpoint}}, {@code GET /health},
 * {@code GET /status}).
 */
@NullMarked
package dev.hooks.servlet;

import org.jspecify.annotations.NullMarked;
