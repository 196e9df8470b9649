package dev.hooks.embedded.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hooks.event.Delivery;
import dev.hooks.event.Headers;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CodecTest {
  private static final Instant RECEIVED = Instant.parse("2026-12-07T18:15:30.123456789Z");

  private static Delivery delivery(InetAddress from, byte[] body) {
    return Delivery.builder("gitlab-é")
        .method("POST")
        .url("http://127.0.0.1/hooks/gitlab-%C3%A9?x=1")
        .headers(Headers.builder()
            .add("X-Gitlab-Event", "Push Hook")
            .add("Accept", "application/json")
            .add("Accept", "text/plain; q=0.5")
            .add("X-Note", "Grüße ✓")
            .build())
        .remoteAddress(from)
        .receivedAt(RECEIVED)
        .body(body)
        .build();
  }

  @Test
  void aDeliveryComesBackAsItWent() throws Exception {
    for (InetAddress from : new InetAddress[] {null, InetAddress.getByName("192.0.2.7"), InetAddress.getByName("2001:db8::1")}) {
      for (byte[] body : new byte[][] {new byte[0], "{\"ref\":\"refs/heads/main\"}".getBytes(StandardCharsets.UTF_8)}) {
        Delivery d = delivery(from, body);
        Delivery back = Codec.delivery(Codec.delivery(d));
        assertThat(back.endpointId()).isEqualTo(d.endpointId());
        assertThat(back.method()).isEqualTo("POST");
        assertThat(back.url()).isEqualTo(d.url());
        assertThat(back.headers().asMap()).isEqualTo(d.headers().asMap());
        assertThat(back.remoteAddress()).isEqualTo(d.remoteAddress());
        assertThat(back.receivedAt()).isEqualTo(RECEIVED);
        assertThat(back.body()).isEqualTo(body);
      }
    }
  }

  /** The record format of version 1, written field by field: journals already on disk must still read. */
  @Test
  void theRecordIsVersionOneByteForByte() throws Exception {
    byte[] body = "{\"object_kind\":\"push\"}".getBytes(StandardCharsets.UTF_8);
    InetAddress from = InetAddress.getByName("192.0.2.7");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(1);
      string(out, "gitlab-é");
      string(out, "POST");
      string(out, "http://127.0.0.1/hooks/gitlab-%C3%A9?x=1");
      out.writeInt(3);
      string(out, "x-gitlab-event");
      out.writeInt(1);
      string(out, "Push Hook");
      string(out, "accept");
      out.writeInt(2);
      string(out, "application/json");
      string(out, "text/plain; q=0.5");
      string(out, "x-note");
      out.writeInt(1);
      string(out, "Grüße ✓");
      out.writeByte(4);
      out.write(from.getAddress());
      out.writeLong(RECEIVED.getEpochSecond());
      out.writeInt(RECEIVED.getNano());
      out.writeInt(body.length);
      out.write(body);
    }
    assertThat(Codec.delivery(delivery(from, body))).isEqualTo(bytes.toByteArray());
  }

  private static void string(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }
}
