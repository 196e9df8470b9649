package dev.hooks.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every page of docs/getting-started runs as written: the fenced {@code yaml} block after
 * {@code <!-- server-yaml -->} loads through hooks-server's {@link ConfigLoader} (each
 * {@code ${VAR}} it references given a test value), and the block after
 * {@code <!-- spring-yaml: PATH -->} is the content of that file of the repository. A page added
 * to the folder is checked without changing this test.
 */
class GettingStartedDocsTest {
  private static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
  private static final Path PAGES = ROOT.resolve("docs/getting-started");
  private static final Pattern SERVER = Pattern.compile("<!-- server-yaml -->\\s*\\n```yaml\\n(.*?)```", Pattern.DOTALL);
  private static final Pattern SPRING = Pattern.compile("<!-- spring-yaml: (\\S+) -->\\s*\\n```yaml\\n(.*?)```", Pattern.DOTALL);
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z0-9_]+)(?::[^}]*)?}");

  @Test
  void everyServerBlockLoadsThroughTheConfigLoader(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
    List<String> checked = new ArrayList<>();
    for (Path page : pages()) {
      Matcher m = SERVER.matcher(Files.readString(page));
      int n = 0;
      while (m.find()) {
        String yaml = m.group(1);
        Path file = dir.resolve(page.getFileName() + "-" + (++n) + ".yaml");
        Files.writeString(file, yaml);
        ServerConfig config = ConfigLoader.load(file, environment(yaml));
        assertThat(config).as(page + " block " + n).isNotNull();
        checked.add(page.getFileName().toString());
      }
    }
    assertThat(checked).contains("alerts.md", "hub.md");
  }

  @Test
  void everySpringBlockIsTheFileItNames() throws IOException {
    List<String> checked = new ArrayList<>();
    for (Path page : pages()) {
      Matcher m = SPRING.matcher(Files.readString(page));
      while (m.find()) {
        Path file = ROOT.resolve(m.group(1));
        assertThat(file).as(page + " names " + m.group(1)).exists();
        assertThat(m.group(2)).as(page + " shows " + m.group(1)).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
        checked.add(page.getFileName().toString());
      }
    }
    assertThat(checked).contains("alerts.md", "hub.md");
  }

  @Test
  void theReadmeListsEveryPage() throws IOException {
    String readme = Files.readString(PAGES.resolve("README.md"));
    for (String page : List.of("hub.md", "autoheal.md", "deploy.md", "alerts.md", "supervisor.md")) {
      assertThat(readme).contains("(" + page + ")");
    }
  }

  private static List<Path> pages() throws IOException {
    try (Stream<Path> s = Files.list(PAGES)) {
      return s.filter(p -> p.toString().endsWith(".md") && !p.getFileName().toString().equals("README.md")).sorted().toList();
    }
  }

  /** A value for each variable the block reads, of the form the server checks: URLs, keys, long tokens. */
  private static Map<String, String> environment(String yaml) {
    Map<String, String> env = new TreeMap<>();
    Matcher v = VARIABLE.matcher(yaml);
    while (v.find()) {
      String name = v.group(1);
      String value;
      if (name.endsWith("ENCRYPTION_KEY")) {
        value = Base64.getEncoder().encodeToString(new byte[32]);
      } else if (name.equals("CW_URL")) {
        value = "https://cw.example.com/v4_6_release/apis/3.0";
      } else if (name.endsWith("_URL")) {
        value = "https://chat.example.com/api/webhooks/1/" + name.toLowerCase(java.util.Locale.ROOT);
      } else {
        value = name.toLowerCase(java.util.Locale.ROOT).replace('_', '-') + "-0123456789abcdef";
      }
      env.put(name, value);
    }
    return env;
  }
}
