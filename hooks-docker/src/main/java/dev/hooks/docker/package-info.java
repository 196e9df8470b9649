/**
 * The Docker Engine's event stream as a source: {@link dev.hooks.docker.DockerEngineSource}
 * journals container and image events, enriched with exit code, uptime and the last log lines,
 * into the same journal and router as webhooks; {@link dev.hooks.docker.DockerEngineEventParser}
 * reads them back.
 */
@NullMarked
package dev.hooks.docker;

import org.jspecify.annotations.NullMarked;
