package dev.hooks.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * The baseline of the HTTP benchmark: a bare Jetty 12 handler that does the least a webhook
 * receiver must do (read the body, check {@code X-Hub-Signature-256} with {@code javax.crypto.Mac},
 * parse the JSON with Jackson, answer 202) and nothing else: no journal, no dedupe, no dispatch.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.hooks.bench.BareJettyServer PORT SECRET}
 */
public final class BareJettyServer {
  private BareJettyServer() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    byte[] secret = args[1].getBytes(StandardCharsets.UTF_8);
    ObjectMapper json = new ObjectMapper();
    ThreadLocal<Mac> macs = ThreadLocal.withInitial(() -> {
      try {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        return mac;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    byte[] accepted = "{\"request_id\":\"bare\"}".getBytes(StandardCharsets.UTF_8);

    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(port);
    server.addConnector(connector);
    server.setHandler(new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) throws Exception {
        byte[] body = Content.Source.asByteBuffer(request).array();
        String header = request.getHeaders().get("X-Hub-Signature-256");
        byte[] mac = macs.get().doFinal(body);
        boolean ok = header != null && header.startsWith("sha256=")
            && MessageDigest.isEqual(HexFormat.of().parseHex(header, 7, header.length()), mac);
        if (!ok) {
          response.setStatus(401);
          callback.succeeded();
          return true;
        }
        JsonNode root = json.readTree(body);
        if (!root.isObject()) {
          response.setStatus(400);
          callback.succeeded();
          return true;
        }
        response.setStatus(202);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(accepted), callback);
        return true;
      }
    });
    server.start();
    System.out.println("bare jetty handler listening on 127.0.0.1:" + port);
    server.join();
  }
}
