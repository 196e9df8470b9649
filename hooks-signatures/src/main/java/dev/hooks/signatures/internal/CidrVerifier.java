package dev.hooks.signatures.internal;

import dev.hooks.event.Delivery;
import dev.hooks.ingress.CidrRange;
import dev.hooks.verify.SignatureVerifier;
import dev.hooks.verify.Verification;
import dev.hooks.verify.Verification.Reason;
import java.net.InetAddress;
import java.util.List;

/** Accepts only clients whose address is in one of the ranges; FORBIDDEN otherwise. Thread-safe. */
public final class CidrVerifier implements SignatureVerifier {
  private final List<CidrRange> ranges;

  public CidrVerifier(List<CidrRange> ranges) {
    this.ranges = List.copyOf(ranges);
  }

  @Override
  public Verification verify(Delivery d) {
    InetAddress a = d.remoteAddress().orElse(null);
    if (a == null) {
      return Verification.rejected(Reason.FORBIDDEN, "cidr: client address unknown");
    }
    for (CidrRange r : ranges) {
      if (r.contains(a)) {
        return Verification.ok();
      }
    }
    return Verification.rejected(Reason.FORBIDDEN, "cidr: client " + a.getHostAddress() + " is not in " + ranges);
  }

  @Override
  public String name() {
    return "cidr";
  }

  @Override
  public String toString() {
    return "SignatureVerifier[cidr " + ranges + "]";
  }
}
