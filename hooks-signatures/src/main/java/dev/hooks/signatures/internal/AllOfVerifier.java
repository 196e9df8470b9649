package dev.hooks.signatures.internal;

import dev.hooks.event.Delivery;
import dev.hooks.verify.SignatureVerifier;
import dev.hooks.verify.Verification;
import java.util.List;
import java.util.stream.Collectors;

/** Accepts a delivery only when every verifier does; answers the first rejection, in order. */
public final class AllOfVerifier implements SignatureVerifier {
  private final List<SignatureVerifier> verifiers;
  private final String name;

  public AllOfVerifier(List<SignatureVerifier> verifiers) {
    this.verifiers = List.copyOf(verifiers);
    this.name = this.verifiers.stream().map(SignatureVerifier::name).collect(Collectors.joining("+"));
  }

  @Override
  public Verification verify(Delivery d) {
    for (SignatureVerifier v : verifiers) {
      Verification r = v.verify(d);
      if (!r.isOk()) {
        return r;
      }
    }
    return Verification.ok();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String toString() {
    return "SignatureVerifier[all of " + name + "]";
  }
}
