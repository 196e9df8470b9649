/**
 * Spring Boot auto-configuration of hooks: everything a Spring application needs from
 * {@code hooks.*} properties. {@link dev.hooks.spring.HooksProperties} lists the keys; each
 * {@code @AutoConfiguration} class backs off when the application declares its own bean.
 */
@NullMarked
package dev.hooks.spring;

import org.jspecify.annotations.NullMarked;
