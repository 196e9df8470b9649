package dev.hooks.deploy;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * Debian's {@code docker-registry} (Distribution 2.8) on a free loopback port, storing in a
 * temporary directory, behind htpasswd basic auth (bcrypt, the only hash it reads). Its log
 * (requests included) goes to a file the tests read. Loopback registries need no TLS: the
 * Engine treats 127.0.0.0/8 as insecure by default.
 */
final class LocalRegistry implements AutoCloseable {
  final int port;
  final String host;
  final String user = "deployer";
  final String password;
  private final Path log;
  private final Process process;
  private final HttpClient http = HttpClient.newHttpClient();

  LocalRegistry(Path dir) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    host = "127.0.0.1:" + port;
    byte[] salt = new byte[16];
    new java.security.SecureRandom().nextBytes(salt);
    password = "pw-" + java.util.HexFormat.of().formatHex(salt, 0, 8);
    Files.writeString(dir.resolve("htpasswd"), user + ":" + OpenBSDBCrypt.generate("2a", password.toCharArray(), salt, 5) + "\n");
    Path config = dir.resolve("config.yml");
    Files.writeString(config, """
        version: 0.1
        log:
          level: info
        storage:
          filesystem:
            rootdirectory: %s
        http:
          addr: 127.0.0.1:%d
        auth:
          htpasswd:
            realm: hooks-deploy-test
            path: %s
        """.formatted(dir.resolve("storage"), port, dir.resolve("htpasswd")), StandardCharsets.UTF_8);
    log = dir.resolve("registry.log");
    process = new ProcessBuilder("/usr/bin/docker-registry", "serve", config.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (true) {
      try {
        int status = get("/v2/", false).statusCode();
        if (status == 401 || status == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      if (System.nanoTime() > until || !process.isAlive()) {
        throw new IllegalStateException("docker-registry did not start: " + Files.readString(log));
      }
      Thread.sleep(100);
    }
  }

  HttpResponse<String> get(String path, boolean authenticated) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + host + path)).timeout(Duration.ofSeconds(5));
    if (authenticated) {
      b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  List<String> logLines() throws IOException {
    return Files.readAllLines(log);
  }

  @Override
  public void close() {
    process.destroy();
    try {
      process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process.destroyForcibly();
  }
}
