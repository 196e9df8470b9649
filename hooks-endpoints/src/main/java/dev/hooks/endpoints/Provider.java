package dev.hooks.endpoints;

import dev.hooks.parse.PayloadParser;
import dev.hooks.parsers.ParserConfigurationException;
import dev.hooks.parsers.PayloadParsers;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One provider of the {@link ProviderCatalog}: its name, how its payloads are read, how its
 * senders prove their origin by default, the header that names a delivery and the media types it
 * posts. Immutable and thread-safe.
 *
 * <pre>{@code
 * Provider gitlab = ProviderCatalog.standard().require("gitlab");
 * PayloadParser parser = gitlab.parser(Map.of());
 * String scheme = gitlab.defaultScheme(); // "gitlab": the X-Gitlab-Token header
 * }</pre>
 */
public final class Provider {
  private final String name;
  private final String parserName;
  private final Map<String, String> parserDefaults;
  private final String defaultScheme;
  private final Map<String, String> defaultSchemeOptions;
  private final @Nullable String deliveryIdHeader;
  private final List<String> mediaTypes;
  private final String proof;

  private Provider(Builder b) {
    this.name = b.name;
    this.parserName = b.parserName;
    this.parserDefaults = Map.copyOf(b.parserDefaults);
    this.defaultScheme = b.defaultScheme;
    this.defaultSchemeOptions = Map.copyOf(b.defaultSchemeOptions);
    this.deliveryIdHeader = b.deliveryIdHeader;
    this.mediaTypes = List.copyOf(b.mediaTypes);
    this.proof = b.proof;
  }

  static Builder builder(String name, String parserName) {
    return new Builder(name, parserName);
  }

  /** The name configuration files use, such as {@code gitlab-ci}: lower case. */
  public String name() {
    return name;
  }

  /** The hooks-parsers provider name of its parser, such as {@code gitlab} for {@code gitlab-ci}. */
  public String parserName() {
    return parserName;
  }

  /**
   * A new parser for this provider's payloads.
   *
   * @param options the parser's options (see {@link PayloadParsers}); they override the
   *     provider's own defaults, such as the {@code type} of {@code generic}
   * @throws ParserConfigurationException if an option is unknown or invalid; the message names it
   */
  public PayloadParser parser(Map<String, String> options) {
    Objects.requireNonNull(options, "options");
    Map<String, String> merged = new LinkedHashMap<>(parserDefaults);
    merged.putAll(options);
    return PayloadParsers.forProvider(parserName, merged);
  }

  /** The hooks-signatures scheme name its senders sign with, {@code bearer} for senders that sign nothing. */
  public String defaultScheme() {
    return defaultScheme;
  }

  /** The options of {@link #defaultScheme()} this provider needs, such as autoheal's {@code header}. */
  public Map<String, String> defaultSchemeOptions() {
    return defaultSchemeOptions;
  }

  /** The header whose value names a delivery (its retries carry the same), if the sender sends one. */
  public Optional<String> deliveryIdHeader() {
    return Optional.ofNullable(deliveryIdHeader);
  }

  /** The media types its senders post, the usual one first. */
  public List<String> mediaTypes() {
    return mediaTypes;
  }

  /** How a delivery of this provider proves its origin by default, in words, for tables and help. */
  public String proof() {
    return proof;
  }

  @Override
  public String toString() {
    return "Provider[" + name + ", parser " + parserName + ", scheme " + defaultScheme + "]";
  }

  static final class Builder {
    private final String name;
    private final String parserName;
    private final Map<String, String> parserDefaults = new LinkedHashMap<>();
    private String defaultScheme = "bearer";
    private final Map<String, String> defaultSchemeOptions = new LinkedHashMap<>();
    private @Nullable String deliveryIdHeader;
    private List<String> mediaTypes = List.of("application/json");
    private String proof = "Authorization: Bearer <secret>";

    private Builder(String name, String parserName) {
      this.name = name;
      this.parserName = parserName;
    }

    Builder parserDefault(String key, String value) {
      parserDefaults.put(key, value);
      return this;
    }

    Builder scheme(String scheme, String proofInWords) {
      this.defaultScheme = scheme;
      this.proof = proofInWords;
      return this;
    }

    Builder schemeOption(String key, String value) {
      defaultSchemeOptions.put(key, value);
      return this;
    }

    Builder deliveryIdHeader(String header) {
      this.deliveryIdHeader = header;
      return this;
    }

    Builder mediaTypes(String... types) {
      this.mediaTypes = List.of(types);
      return this;
    }

    Provider build() {
      return new Provider(this);
    }
  }
}
