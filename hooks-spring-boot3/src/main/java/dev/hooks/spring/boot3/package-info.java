/**
 * Spring Boot 3 only: the {@code hooks} health component on Boot 3's
 * {@code org.springframework.boot.actuate.health} types (Boot 4 moved them to
 * {@code org.springframework.boot.health.contributor}, where hooks-spring-starter has its own).
 */
@NullMarked
package dev.hooks.spring.boot3;

import org.jspecify.annotations.NullMarked;
