package dev.hooks.server;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The command line of the server: {@code --config FILE}, {@code --port N} (else the environment
 * variable {@code HOOKS_PORT}, else 8080; 0 picks a free port), {@code --host ADDRESS} (default
 * every interface), {@code --data DIR} (default {@code ./data}) and {@code --preset NAME} (else
 * the environment variable {@code HOOKS_PRESET}): {@code autoheal} serves the autoheal webhook
 * listener's routes instead of a YAML configuration, on port 5000 unless a port is given.
 * Immutable.
 *
 * <pre>{@code
 * ServerOptions o = ServerOptions.parse(new String[] {"--config", "hooks.yaml", "--port", "9000"}, System.getenv());
 * ServerOptions test = new ServerOptions(Path.of("hooks.yaml"), "127.0.0.1", 0, tempDir);
 * }</pre>
 *
 * @param config the YAML file; null for the bundled example {@code hooks-default.yaml}
 * @param host the address to listen on
 * @param port the port to listen on; 0 for any free port
 * @param dataDir where the embedded H2 journal lives unless the configuration names a database
 * @param preset a built-in setup replacing the YAML configuration ({@value #AUTOHEAL_PRESET}), or
 *     null
 */
public record ServerOptions(@Nullable Path config, String host, int port, Path dataDir, @Nullable String preset) {
  public static final int DEFAULT_PORT = 8080;
  /** The preset that stands in for the autoheal webhook listener. */
  public static final String AUTOHEAL_PRESET = "autoheal";
  /** The autoheal webhook listener's port, the default of the {@value #AUTOHEAL_PRESET} preset. */
  public static final int AUTOHEAL_DEFAULT_PORT = 5000;

  static final String USAGE = String.join(System.lineSeparator(),
      "usage: java -jar hooks-server.jar [--config FILE] [--port N] [--host ADDRESS] [--data DIR]",
      "  --config FILE   one YAML file: endpoints, journal, dispatch, routes, handlers",
      "                  (default: the bundled example, endpoint github routed to the log handler)",
      "  --port N        port to listen on; default $HOOKS_PORT, else 8080",
      "  --host ADDRESS  address to listen on; default every interface",
      "  --data DIR      directory of the embedded H2 journal; default ./data",
      "  --preset NAME   autoheal: serve the autoheal webhook listener's routes on its environment",
      "                  (default $HOOKS_PRESET; port 5000 unless --port or HOOKS_PORT is given)");

  public ServerOptions {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(dataDir, "dataDir");
    if (port < 0 || port > 65535) {
      throw new ConfigException("port " + port + " is out of range; use 0 to 65535");
    }
    if (preset != null && !AUTOHEAL_PRESET.equals(preset)) {
      throw new ConfigException("unknown preset '" + preset + "'; use --preset " + AUTOHEAL_PRESET + " or leave it out");
    }
    if (preset != null && config != null) {
      throw new ConfigException("--config and --preset " + preset + " cannot be combined; the preset is configured by its environment variables");
    }
  }

  /** Options without a preset: the server is configured by {@code config}. */
  public ServerOptions(@Nullable Path config, String host, int port, Path dataDir) {
    this(config, host, port, dataDir, null);
  }

  /**
   * Reads the command line.
   *
   * @param env the environment, for {@code HOOKS_PORT} and {@code HOOKS_PRESET}
   * @throws ConfigException naming the bad option
   */
  public static ServerOptions parse(String[] args, Map<String, String> env) {
    Path config = null;
    String host = "0.0.0.0";
    String port = env.get("HOOKS_PORT");
    String portSource = "HOOKS_PORT";
    Path data = Path.of("data");
    String preset = env.get("HOOKS_PRESET");
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String name = arg;
      String value = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        name = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      }
      switch (name) {
        case "--config", "--port", "--host", "--data", "--preset" -> {
          if (value == null) {
            if (i + 1 >= args.length) {
              throw new ConfigException("option " + name + " needs a value" + System.lineSeparator() + USAGE);
            }
            value = args[++i];
          }
          switch (name) {
            case "--config" -> config = Path.of(value);
            case "--port" -> {
              port = value;
              portSource = "--port";
            }
            case "--host" -> host = value;
            case "--preset" -> preset = value;
            default -> data = Path.of(value);
          }
        }
        default -> throw new ConfigException("unknown option '" + arg + "'" + System.lineSeparator() + USAGE);
      }
    }
    if (preset != null) {
      preset = preset.isBlank() ? null : preset.strip().toLowerCase(java.util.Locale.ROOT);
    }
    int p = AUTOHEAL_PRESET.equals(preset) ? AUTOHEAL_DEFAULT_PORT : DEFAULT_PORT;
    if (port != null && !port.isBlank()) {
      try {
        p = Integer.parseInt(port.trim());
      } catch (NumberFormatException e) {
        throw new ConfigException(portSource + " '" + port + "' is not a port number");
      }
    }
    return new ServerOptions(config, host, p, data, preset);
  }
}
