package dev.hooks.signatures;

import java.util.Locale;

/** The hash functions an HMAC scheme may use. */
public enum HmacAlgorithm {
  SHA1("HmacSHA1"),
  SHA256("HmacSHA256"),
  SHA512("HmacSHA512");

  private final String jcaName;

  HmacAlgorithm(String jcaName) {
    this.jcaName = jcaName;
  }

  /** The {@link javax.crypto.Mac} algorithm name, such as {@code HmacSHA256}. */
  public String jcaName() {
    return jcaName;
  }

  /**
   * {@code sha1}, {@code sha256} or {@code sha512}, any case, with or without a dash.
   *
   * @throws IllegalArgumentException for any other name
   */
  public static HmacAlgorithm parse(String name) {
    switch (name.trim().toLowerCase(Locale.ROOT).replace("-", "")) {
      case "sha1":
        return SHA1;
      case "sha256":
        return SHA256;
      case "sha512":
        return SHA512;
      default:
        throw new IllegalArgumentException("unknown HMAC algorithm '" + name + "'; use sha1, sha256 or sha512");
    }
  }
}
