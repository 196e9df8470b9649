/** hooks' Micrometer meters, shared by hooks-server and the Spring starter. */
package dev.hooks.metrics;
