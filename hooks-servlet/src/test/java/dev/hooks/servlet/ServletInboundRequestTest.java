package dev.hooks.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class ServletInboundRequestTest {

  @Test
  void uncheckedFailureWhileReadingTheBodyBecomesAnIoException() {
    InputStream broken = new InputStream() {
      @Override
      public int read() {
        throw new IllegalStateException("bad chunk");
      }

      @Override
      public int read(byte[] b, int off, int len) {
        throw new IllegalStateException("bad chunk");
      }
    };
    InputStream in = new ServletInboundRequest.ReadFailuresAsIoException(broken);

    assertThatThrownBy(in::read).isInstanceOf(IOException.class).hasCauseInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> in.readNBytes(10)).isInstanceOf(IOException.class).hasCauseInstanceOf(IllegalStateException.class);
  }

  @Test
  void remoteAddressIsReadFromLiteralsOnlyAndNeverResolved() {
    assertThat(ServletInboundRequest.addressOf("203.0.113.7")).hasToString("/203.0.113.7");
    assertThat(ServletInboundRequest.addressOf("[::1]").isLoopbackAddress()).isTrue();
    assertThat(ServletInboundRequest.addressOf("0:0:0:0:0:0:0:1")).isNotNull();
    assertThat(ServletInboundRequest.addressOf("example.org")).isNull();
    assertThat(ServletInboundRequest.addressOf("cafe")).isNull();
    assertThat(ServletInboundRequest.addressOf("")).isNull();
    assertThat(ServletInboundRequest.addressOf(null)).isNull();
  }

  @Test
  void onlyAsciiLiteralsLookNumeric() {
    assertThat(ServletInboundRequest.looksNumeric("203.0.113.7")).isTrue();
    assertThat(ServletInboundRequest.looksNumeric("2001:DB8::cafe")).isTrue();
    assertThat(ServletInboundRequest.looksNumeric("::ffff:192.0.2.1")).isTrue();
    // Arabic-Indic "127.0.0.1": digits to Character.isDigit, a host name to InetAddress, which
    // would send it to the resolver.
    assertThat(ServletInboundRequest.looksNumeric("\u0661\u0662\u0667.\u0660.\u0660.\u0661")).isFalse();
    assertThat(ServletInboundRequest.looksNumeric("::\u0661")).isFalse();
    assertThat(ServletInboundRequest.looksNumeric("cafe")).isFalse();
    assertThat(ServletInboundRequest.looksNumeric("")).isFalse();
  }
}
