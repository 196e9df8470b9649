package dev.hooks.server;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The command line of the server: {@code --config FILE}, {@code --port N} (else the environment
 * variable {@code HOOKS_PORT}, else 8080; 0 picks a free port), {@code --host ADDRESS} (default
 * every interface) and {@code --data DIR} (default {@code ./data}). Immutable.
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
 */
public record ServerOptions(@Nullable Path config, String host, int port, Path dataDir) {
  public static final int DEFAULT_PORT = 8080;

  static final String USAGE = String.join(System.lineSeparator(),
      "usage: java -jar hooks-server.jar [--config FILE] [--port N] [--host ADDRESS] [--data DIR]",
      "  --config FILE   one YAML file: endpoints, journal, dispatch, routes, handlers",
      "                  (default: the bundled example, endpoint github routed to the log handler)",
      "  --port N        port to listen on; default $HOOKS_PORT, else 8080",
      "  --host ADDRESS  address to listen on; default every interface",
      "  --data DIR      directory of the embedded H2 journal; default ./data");

  public ServerOptions {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(dataDir, "dataDir");
    if (port < 0 || port > 65535) {
      throw new ConfigException("port " + port + " is out of range; use 0 to 65535");
    }
  }

  /**
   * Reads the command line.
   *
   * @param env the environment, for {@code HOOKS_PORT}
   * @throws ConfigException naming the bad option
   */
  public static ServerOptions parse(String[] args, Map<String, String> env) {
    Path config = null;
    String host = "0.0.0.0";
    String port = env.get("HOOKS_PORT");
    String portSource = "HOOKS_PORT";
    Path data = Path.of("data");
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
        case "--config", "--port", "--host", "--data" -> {
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
            default -> data = Path.of(value);
          }
        }
        default -> throw new ConfigException("unknown option '" + arg + "'" + System.lineSeparator() + USAGE);
      }
    }
    int p = DEFAULT_PORT;
    if (port != null && !port.isBlank()) {
      try {
        p = Integer.parseInt(port.trim());
      } catch (NumberFormatException e) {
        throw new ConfigException(portSource + " '" + port + "' is not a port number");
      }
    }
    return new ServerOptions(config, host, p, data);
  }
}
