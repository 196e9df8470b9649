package dev.hooks.signatures;

import java.util.Locale;

/** How a signature is written in its header. Hex is accepted in either case; base64 strictly. */
public enum SignatureEncoding {
  HEX,
  BASE64;

  /**
   * {@code hex} or {@code base64}, any case.
   *
   * @throws IllegalArgumentException for any other name
   */
  public static SignatureEncoding parse(String name) {
    switch (name.trim().toLowerCase(Locale.ROOT)) {
      case "hex":
        return HEX;
      case "base64":
        return BASE64;
      default:
        throw new IllegalArgumentException("unknown signature encoding '" + name + "'; use hex or base64");
    }
  }
}
