package dev.hooks.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Secrets at rest in the data directory and in start errors. */
class StartSecretsTest {
  private static final String ENDPOINT = """
      endpoints:
        - id: github
          provider: github
          verifier:
            secrets: ["${TEST_GITHUB_SECRET}"]
      """;

  @TempDir Path dir;

  private Path write(String yaml) throws IOException {
    Path p = dir.resolve("hooks-" + System.nanoTime() + ".yaml");
    Files.writeString(p, yaml);
    return p;
  }

  @Test
  void dataDirectoryIs0700AndEveryFileTheServerCreates0600() throws Exception {
    Path data = dir.resolve("data");
    try (HooksServer server = HooksServer.start(new ServerOptions(write(ENDPOINT), "127.0.0.1", 0, data),
        Map.of("TEST_GITHUB_SECRET", "s3cret-value"), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), Map.of())) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data))).isEqualTo("rwx------");
      List<Path> files;
      try (Stream<Path> s = Files.walk(data)) {
        files = s.filter(p -> !p.equals(data)).toList();
      }
      assertThat(files).anyMatch(p -> p.getFileName().toString().endsWith(".mv.db"));
      assertThat(files).anyMatch(p -> p.getFileName().toString().equals("journal") && Files.isDirectory(p));
      // The embedded journal's files (RocksDB makes them with the umask) are tightened as they appear.
      await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> {
        for (Path f : files) {
          if (Files.exists(f)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).as(f.toString())
                .isEqualTo(Files.isDirectory(f) ? "rwx------" : "rw-------");
          }
        }
      });

      // A file created later in the directory (H2 creates trace and temporary files) is made private too.
      Path later = Files.createFile(data.resolve("hooks.trace.db"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
      await().atMost(5, TimeUnit.SECONDS).until(() -> PosixFilePermissions.toString(Files.getPosixFilePermissions(later)).equals("rw-------"));
    }
  }

  @Test
  void aSecretInAWronglyTypedKeyIsPrintedAsTheNameOfItsVariable() throws Exception {
    Path config = write(ENDPOINT + "dispatch:\n  capacity: ${LEAKED}\n");

    assertThatThrownBy(() -> ConfigLoader.load(config, Map.of("TEST_GITHUB_SECRET", "s3cret-value", "LEAKED", "hunter2-topsecret")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("dispatch.capacity")
        .hasMessageContaining("<value of ${LEAKED}>")
        .hasMessageNotContaining("hunter2-topsecret");
  }

  @Test
  void jdbcPasswordsAreMaskedInEveryConfigError() {
    ConfigException e = new ConfigException(
        "journal.url 'jdbc:postgresql://hooks:pg-secret-1@db:5432/hooks?user=hooks&password=pg-secret-2&ssl=true' is refused");

    assertThat(e.getMessage()).doesNotContain("pg-secret-1", "pg-secret-2")
        .contains("jdbc:postgresql://hooks:****@db:5432/hooks?user=hooks&password=****&ssl=true");
    assertThat(new ConfigException("jdbc:h2:file:/data/hooks;USER=sa;PASSWORD=h2-secret;MODE=x").getMessage())
        .doesNotContain("h2-secret").contains("PASSWORD=****;MODE=x");
  }

  @Test
  void aJournalThatCannotBeOpenedIsReportedWithoutThePasswordFromTheEnvironment() throws Exception {
    Path config = write(ENDPOINT + "journal:\n  url: jdbc:postgresql://127.0.0.1:1/hooks?password=${PGPASSWORD}\n");

    assertThatThrownBy(() -> HooksServer.start(new ServerOptions(config, "127.0.0.1", 0, dir.resolve("pg-data")),
        Map.of("TEST_GITHUB_SECRET", "s3cret-value", "PGPASSWORD", "pg-env-secret"),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), Map.of()))
        .satisfies(t -> assertThat(t.getMessage()).doesNotContain("pg-env-secret"));
  }
}
