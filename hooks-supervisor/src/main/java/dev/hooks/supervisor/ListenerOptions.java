package dev.hooks.supervisor;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The listener's command line: superhooks' flags ({@code -u}, {@code -e}, {@code -d}, {@code -H})
 * with the same meaning, and the listener's own.
 *
 * @param urls where every event goes, each with a buffer of its own
 * @param events the event names forwarded ({@code PROCESS_STATE_EXITED}...)
 * @param data the {@code -d} items, in order
 * @param headers the {@code -H} items, in order
 * @param format the body format
 * @param sign whether deliveries carry Standard Webhooks signatures
 * @param secretEnv the environment variable holding the signing secret
 * @param flushInterval how long events are buffered before they are sent; zero sends at once
 * @param bufferDir the directory of the buffer files
 * @param bufferSize how many events each URL's buffer keeps at most
 * @param fsync whether every buffered event is forced to disk
 * @param timeout the time limit of one request
 * @param help whether {@code --help} was given
 */
public record ListenerOptions(
    List<URI> urls,
    Set<String> events,
    List<Map.Entry<String, String>> data,
    List<Map.Entry<String, String>> headers,
    BodyFormat format,
    boolean sign,
    String secretEnv,
    Duration flushInterval,
    Path bufferDir,
    int bufferSize,
    boolean fsync,
    Duration timeout,
    boolean help) {

  /** superhooks' short names, each {@code PROCESS_STATE_} + the name. */
  static final List<String> STATES = List.of("STARTING", "RUNNING", "BACKOFF", "STOPPING", "FATAL", "EXITED", "STOPPED", "UNKNOWN");

  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)?");
  private static final Pattern EVENT_NAME = Pattern.compile("[A-Z][A-Z0-9_]*");
  /** Headers the HTTP client sets itself and refuses to take. */
  private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade");

  /** The text {@code --help} prints. */
  public static final String USAGE = """
      Usage: java -jar hooks-supervisor.jar -u URL [-u URL2 ...] [options]

      A supervisor event listener: forwards process-state events to webhooks. Run it from an
      [eventlistener:x] section of supervisord.conf with events=PROCESS_STATE (and TICK_60 if
      you like; it is not needed).

      superhooks' options, with the same meaning:
        -u URL, --url=URL        POST every event to URL; repeat for several receivers
        -e EVENTS, --events=EVENTS
                                 comma-separated events to forward: STARTING, RUNNING, BACKOFF,
                                 STOPPING, FATAL, EXITED, STOPPED, UNKNOWN (each PROCESS_STATE_ +
                                 the name), PROCESS_STATE for all of them, or full supervisor event
                                 names such as PROCESS_LOG_STDERR; default PROCESS_STATE
        -d DATA, --data=DATA     extra body fields: items separated by ^^, key and value by ^,
                                 e.g. "a^b^^c^d"; the value dump_params puts the event name and
                                 every event header in that field
        -H HEADERS, --headers=HEADERS
                                 request headers, same syntax: "X-Token^secret^^X-Env^prod"

      More:
        --format=FORMAT          form (superhooks' body, the default), json, discord or slack
        --sign=standard-webhooks sign every delivery (webhook-id, webhook-timestamp,
                                 webhook-signature) with the secret in --secret-env
        --secret-env=NAME        the environment variable holding the signing secret
                                 (whsec_<base64>); default HOOKS_SUPERVISOR_SECRET
        --flush-interval=DURATION
                                 buffer events this long, then send them (superhooks: 60s, the
                                 default); 0s sends each event at once. Units ms, s, m, h
        --buffer-dir=DIR         where the buffers are kept on disk; default
                                 <java.io.tmpdir>/hooks-supervisor
        --buffer-size=N          events kept per URL while a receiver is away; past it the
                                 oldest is dropped and counted; default 10000
        --fsync                  force every buffered event to disk (survives a power loss)
        --timeout=DURATION       the time limit of one request; default 10s
        -h, --help               print this text

      Deliveries that fail (a connection error, a timeout, 408, 429, 5xx) are retried with
      backoff, in order, until they succeed; a receiver that refuses one (another 4xx) has it
      dropped with a log line. The log goes to stderr; stdout carries supervisor's protocol.
      """;

  /**
   * Reads the command line.
   *
   * @throws IllegalArgumentException with a message for the user when an option is wrong
   */
  public static ListenerOptions parse(String... args) {
    List<URI> urls = new ArrayList<>();
    String events = null;
    String data = null;
    String headers = null;
    BodyFormat format = BodyFormat.FORM;
    boolean sign = false;
    String secretEnv = "HOOKS_SUPERVISOR_SECRET";
    Duration flush = Duration.ofSeconds(60);
    Path bufferDir = Path.of(System.getProperty("java.io.tmpdir"), "hooks-supervisor");
    int bufferSize = 10_000;
    boolean fsync = false;
    Duration timeout = Duration.ofSeconds(10);
    boolean help = false;
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
        case "-h", "--help" -> help = true;
        case "--fsync" -> fsync = true;
        default -> {
          if (value == null) {
            if (i + 1 >= args.length) {
              throw new IllegalArgumentException("option " + name + " needs a value");
            }
            value = args[++i];
          }
          switch (name) {
            case "-u", "--url" -> urls.add(url(value));
            case "-e", "--events", "--event" -> events = value;
            case "-d", "--data" -> data = value;
            case "-H", "--headers" -> headers = value;
            case "--format" -> format = BodyFormat.of(value);
            case "--sign" -> {
              if (!value.equals("standard-webhooks")) {
                throw new IllegalArgumentException("unknown --sign scheme '" + value + "': standard-webhooks");
              }
              sign = true;
            }
            case "--secret-env" -> secretEnv = value;
            case "--flush-interval" -> flush = duration(name, value);
            case "--buffer-dir" -> bufferDir = Path.of(value);
            case "--buffer-size" -> bufferSize = positive(name, value);
            case "--timeout" -> timeout = duration(name, value);
            default -> throw new IllegalArgumentException("unknown option " + name + " (see --help)");
          }
        }
      }
    }
    if (!help && urls.isEmpty()) {
      throw new IllegalArgumentException("no -u URL given (see --help)");
    }
    List<Map.Entry<String, String>> headerItems = items(headers);
    for (Map.Entry<String, String> h : headerItems) {
      if (RESTRICTED.contains(h.getKey().toLowerCase(Locale.ROOT)) || !h.getKey().matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
        throw new IllegalArgumentException("-H: the header '" + h.getKey() + "' cannot be set");
      }
    }
    return new ListenerOptions(List.copyOf(urls), events(events == null ? "PROCESS_STATE" : events), items(data),
        headerItems, format, sign, secretEnv, flush, bufferDir, bufferSize, fsync, timeout, help);
  }

  /**
   * superhooks' {@code a^b^^c^d}: items separated by {@code ^^}, key and value by {@code ^}; an
   * item that is not exactly a key and a value is skipped, as superhooks skips it.
   */
  static List<Map.Entry<String, String>> items(@Nullable String spec) {
    List<Map.Entry<String, String>> out = new ArrayList<>();
    if (spec == null || spec.isEmpty()) {
      return out;
    }
    for (String item : spec.split("\\^\\^", -1)) {
      String[] kv = item.split("\\^", -1);
      if (kv.length == 2) {
        out.add(Map.entry(kv[0], kv[1]));
      }
    }
    return out;
  }

  /** {@code EXITED,FATAL} → {@code PROCESS_STATE_EXITED, PROCESS_STATE_FATAL}. */
  static Set<String> events(String spec) {
    Set<String> out = new LinkedHashSet<>();
    for (String raw : spec.split(",")) {
      String e = raw.trim().toUpperCase(Locale.ROOT);
      if (e.isEmpty()) {
        continue;
      }
      if (e.equals("PROCESS_STATE")) {
        STATES.forEach(s -> out.add("PROCESS_STATE_" + s));
      } else if (STATES.contains(e)) {
        out.add("PROCESS_STATE_" + e);
      } else if (e.equals("PROCESS_LOG")) {
        out.add("PROCESS_LOG_STDOUT");
        out.add("PROCESS_LOG_STDERR");
      } else if (EVENT_NAME.matcher(e).matches() && e.contains("_")) {
        out.add(e);
      } else {
        throw new IllegalArgumentException("-e: unknown event '" + raw.trim() + "': one of " + String.join(", ", STATES)
            + ", PROCESS_STATE or a supervisor event name");
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("-e: no event given");
    }
    return out;
  }

  private static URI url(String value) {
    URI uri;
    try {
      uri = URI.create(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("-u: not a URL: " + e.getMessage());
    }
    if (!("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme())) || uri.getHost() == null) {
      throw new IllegalArgumentException("-u: an http or https URL with a host is needed");
    }
    return uri;
  }

  static Duration duration(String option, String value) {
    Matcher m = DURATION.matcher(value.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(option + ": not a duration '" + value + "' (e.g. 60s, 500ms, 2m, 0s)");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    return switch (unit) {
      case "ms" -> Duration.ofMillis(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofSeconds(n);
    };
  }

  private static int positive(String option, String value) {
    try {
      int n = Integer.parseInt(value.trim());
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(option + ": a positive whole number is needed, not '" + value + "'");
  }

  /** The URL as the log shows it: scheme, host and port only (paths often hold tokens). */
  static String redacted(URI url) {
    return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort()) + "/…";
  }
}
