package dev.hooks.signatures;

import java.util.Objects;

/**
 * How a sender without a named scheme signs: an HMAC of the raw body in one header, hex or
 * base64, with an optional prefix such as {@code sha256=}. Immutable and thread-safe.
 *
 * <pre>{@code
 * GenericHmacSpec spec = GenericHmacSpec.builder("X-Signature")
 *     .algorithm(HmacAlgorithm.SHA512).encoding(SignatureEncoding.BASE64).prefix("sha512=").build();
 * SignatureVerifier v = SignatureVerifiers.genericHmac(spec, List.of(Secret.of("s3cr3t")));
 * }</pre>
 */
public final class GenericHmacSpec {
  private final String header;
  private final HmacAlgorithm algorithm;
  private final SignatureEncoding encoding;
  private final String prefix;

  private GenericHmacSpec(Builder b) {
    this.header = b.header;
    this.algorithm = b.algorithm;
    this.encoding = b.encoding;
    this.prefix = b.prefix;
  }

  /**
   * Starts a spec for signatures in {@code header}; defaults: SHA-256, hex, no prefix.
   *
   * @throws IllegalArgumentException if {@code header} is blank
   */
  public static Builder builder(String header) {
    return new Builder(header);
  }

  public String header() {
    return header;
  }

  public HmacAlgorithm algorithm() {
    return algorithm;
  }

  public SignatureEncoding encoding() {
    return encoding;
  }

  /** Text before the encoded signature, such as {@code sha256=}; empty for none. */
  public String prefix() {
    return prefix;
  }

  @Override
  public String toString() {
    return "GenericHmacSpec[" + header + ", " + algorithm + ", " + encoding + ", prefix '" + prefix + "']";
  }

  /** Not thread-safe. */
  public static final class Builder {
    private final String header;
    private HmacAlgorithm algorithm = HmacAlgorithm.SHA256;
    private SignatureEncoding encoding = SignatureEncoding.HEX;
    private String prefix = "";

    private Builder(String header) {
      if (header.isBlank()) {
        throw new IllegalArgumentException("a generic HMAC needs a header name");
      }
      this.header = header.trim();
    }

    public Builder algorithm(HmacAlgorithm algorithm) {
      this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
      return this;
    }

    public Builder encoding(SignatureEncoding encoding) {
      this.encoding = Objects.requireNonNull(encoding, "encoding");
      return this;
    }

    public Builder prefix(String prefix) {
      this.prefix = Objects.requireNonNull(prefix, "prefix");
      return this;
    }

    public GenericHmacSpec build() {
      return new GenericHmacSpec(this);
    }
  }
}
