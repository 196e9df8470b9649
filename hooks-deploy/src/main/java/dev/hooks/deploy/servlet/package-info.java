/** The deploy admin API as a Jakarta servlet, for hooks-server and the Spring Boot starter. */
@NullMarked
package dev.hooks.deploy.servlet;

import org.jspecify.annotations.NullMarked;
