package dev.hooks.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hooks.journal.Durability;
import dev.hooks.journal.EventJournal;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durability on H2: a child JVM appends deliveries and halts without shutting anything down;
 * every delivery whose {@code append} returned is in the file when it is opened again.
 */
class JdbcJournalKillIT {
  @TempDir
  Path dir;

  @ParameterizedTest
  @EnumSource(value = Durability.class, names = {"OS", "SYNC"})
  void everyAcceptedAppendSurvivesTheProcessBeingKilled(Durability durability) throws Exception {
    String url = "jdbc:h2:file:" + dir.resolve("hooks");
    Process child = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"),
        AppendThenHalt.class.getName(), url, "300", durability.name())
        .redirectErrorStream(true)
        .start();
    List<String> accepted = new ArrayList<>();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("accepted ")) {
          accepted.add(line.substring("accepted ".length()));
        }
      }
    }
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(child.exitValue()).isEqualTo(137);
    assertThat(accepted).hasSize(300);

    try (JdbcJournals db = JdbcJournals.builder().url(url).purgeInterval(Duration.ZERO).build()) {
      EventJournal journal = db.eventJournal();
      for (String id : accepted) {
        assertThat(journal.find(id)).as("accepted before the kill: %s", id).isPresent();
      }
      assertThat(journal.counts().pending()).isEqualTo(300);
    }
  }
}
