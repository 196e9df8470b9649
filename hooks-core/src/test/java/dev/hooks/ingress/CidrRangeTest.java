package dev.hooks.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class CidrRangeTest {
  @Test
  void matchesAddressesInsideThePrefixOnly() throws Exception {
    // GitHub's published hook range (api.github.com/meta "hooks").
    CidrRange github = CidrRange.parse("192.30.252.0/22");
    assertThat(github.contains(InetAddress.getByName("192.30.255.255"))).isTrue();
    assertThat(github.contains(InetAddress.getByName("192.30.251.255"))).isFalse();
    assertThat(github.contains(InetAddress.getByName("::1"))).isFalse();
    assertThat(CidrRange.parse("2001:db8::/32").contains(InetAddress.getByName("2001:db8:ffff::1"))).isTrue();
    assertThat(CidrRange.parse("127.0.0.1").contains(InetAddress.getByName("127.0.0.2"))).isFalse();
  }

  @Test
  void malformedRangesFailNamingTheInput() {
    assertThatThrownBy(() -> CidrRange.parse("10.0.0.0/33")).hasMessageContaining("10.0.0.0/33");
    assertThatThrownBy(() -> CidrRange.parse("example.com")).hasMessageContaining("example.com");
    assertThatThrownBy(() -> CidrRange.parse("10.0.0.0/x")).hasMessageContaining("10.0.0.0/x");
  }
}
