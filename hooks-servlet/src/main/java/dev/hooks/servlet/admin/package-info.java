/**
 * {@link dev.hooks.servlet.admin.HooksAdminServlet}: an authenticated JSON HTTP API over a
 * {@link dev.hooks.admin.EndpointAdmin}, to create, list, filter, template, test and delete
 * endpoints at run time.
 */
@NullMarked
package dev.hooks.servlet.admin;

import org.jspecify.annotations.NullMarked;
