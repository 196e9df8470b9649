/**
 * The sample hooks server: embedded Jetty 12 serving {@link dev.hooks.servlet.HooksServlet},
 * configured by one YAML file, journaling to an H2 file by default. Run it with
 * {@code java -jar hooks-server.jar [--config FILE] [--port N] [--data DIR]}.
 */
@NullMarked
package dev.hooks.server;

import org.jspecify.annotations.NullMarked;
