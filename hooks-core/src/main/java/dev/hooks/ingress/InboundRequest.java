package dev.hooks.ingress;

import dev.hooks.event.Headers;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import org.jspecify.annotations.Nullable;

/**
 * A webhook request as an HTTP adapter hands it to {@link Ingress}: nothing is read yet, so that
 * ingress can refuse an oversized body before reading it. Adapters translate their own request
 * type into this and decide nothing.
 */
public interface InboundRequest {

  /** The endpoint id taken from the path, such as {@code github} in {@code /hooks/github}. */
  String endpointId();

  /** The HTTP method, upper case. */
  String method();

  /** The public URL of the request, as the sender saw it. */
  String url();

  Headers headers();

  /** The declared Content-Length, or -1 when the body is chunked or the length unknown. */
  long contentLength();

  /** The body stream; ingress reads at most the endpoint's limit plus one byte. */
  InputStream body() throws IOException;

  /** The client's address, when known. */
  @Nullable InetAddress remoteAddress();
}
