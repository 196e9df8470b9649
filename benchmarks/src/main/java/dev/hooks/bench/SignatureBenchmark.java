package dev.hooks.bench;

import dev.hooks.event.Delivery;
import dev.hooks.event.Headers;
import dev.hooks.signatures.SignatureVerifiers;
import dev.hooks.verify.Secret;
import dev.hooks.verify.SignatureVerifier;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Verifying a GitHub ({@code X-Hub-Signature-256}) and a Standard Webhooks v1 signature with
 * hooks-signatures, beside the least a receiver can do with the JDK alone: one keyed
 * {@link Mac} kept ready, the MAC of the same bytes and a constant-time compare. Compare the
 * {@code p0.50} rows of a benchmark with its {@code RawMac} twin at the same size.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar SignatureBenchmark -f 1 -wi 3 -i 5</pre>
 */
@State(Scope.Thread)
// Sampled times: on a shared machine the median of single calls is not moved by the moments the
// benchmark thread is descheduled, which skew an average; compare the p0.50 rows.
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
// Long warm-up iterations: on a busy 2-core machine the JIT needs several seconds of wall time
// to finish compiling the verifier's path, and a short warm-up measures the interpreter instead.
@Warmup(iterations = 3, time = 4)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SignatureBenchmark {
  private static final String SECRET = "It's a Secret to Everybody";
  private static final String SW_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final long TIMESTAMP = 1_763_899_200L;
  private static final String MSG_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";

  /** Body size in bytes: 1 KB, 8 KB, 25 KB. */
  @Param({"1024", "8192", "25600"})
  public int size;

  private byte[] body;
  private Delivery github;
  private Delivery standardWebhooks;
  private SignatureVerifier githubVerifier;
  private SignatureVerifier standardWebhooksVerifier;

  private Mac rawGithubMac;
  private byte[] githubExpected;
  private Mac rawSwMac;
  private byte[] swPrefix;
  private byte[] swExpected;

  @Setup
  public void setUp() throws Exception {
    body = jsonLike(size);
    rawGithubMac = Mac.getInstance("HmacSHA256");
    rawGithubMac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    githubExpected = rawGithubMac.doFinal(body);

    rawSwMac = Mac.getInstance("HmacSHA256");
    rawSwMac.init(new SecretKeySpec(Base64.getDecoder().decode(SW_SECRET.substring(6)), "HmacSHA256"));
    swPrefix = (MSG_ID + "." + TIMESTAMP + ".").getBytes(StandardCharsets.UTF_8);
    rawSwMac.update(swPrefix);
    swExpected = rawSwMac.doFinal(body);

    Clock clock = Clock.fixed(Instant.ofEpochSecond(TIMESTAMP + 10), ZoneOffset.UTC);
    githubVerifier = SignatureVerifiers.githubSha256(List.of(Secret.of(SECRET)));
    standardWebhooksVerifier = SignatureVerifiers.standardWebhooks(List.of(Secret.of(SW_SECRET)), clock);
    github = Delivery.builder("github")
        .headers(Headers.builder()
            .add("Content-Type", "application/json")
            .add("X-GitHub-Event", "push")
            .add("X-Hub-Signature-256", "sha256=" + HexFormat.of().formatHex(githubExpected))
            .build())
        .body(body)
        .build();
    standardWebhooks = Delivery.builder("sw")
        .headers(Headers.builder()
            .add("Content-Type", "application/json")
            .add("webhook-id", MSG_ID)
            .add("webhook-timestamp", Long.toString(TIMESTAMP))
            .add("webhook-signature", "v1," + Base64.getEncoder().encodeToString(swExpected))
            .build())
        .body(body)
        .build();
    if (!githubVerifier.verify(github).isOk() || !standardWebhooksVerifier.verify(standardWebhooks).isOk()) {
      throw new IllegalStateException("benchmark deliveries do not verify");
    }
  }

  @Benchmark
  public boolean githubRawMac() {
    return MessageDigest.isEqual(rawGithubMac.doFinal(body), githubExpected);
  }

  @Benchmark
  public boolean githubVerifier() {
    return githubVerifier.verify(github).isOk();
  }

  @Benchmark
  public boolean standardWebhooksRawMac() {
    rawSwMac.update(swPrefix);
    return MessageDigest.isEqual(rawSwMac.doFinal(body), swExpected);
  }

  @Benchmark
  public boolean standardWebhooksVerifier() {
    return standardWebhooksVerifier.verify(standardWebhooks).isOk();
  }

  private static byte[] jsonLike(int size) {
    Random r = new Random(7);
    StringBuilder sb = new StringBuilder(size).append("{\"commits\":[");
    while (sb.length() < size - 20) {
      sb.append("{\"id\":\"").append(Long.toHexString(r.nextLong())).append("\",\"message\":\"fix ")
          .append(r.nextInt(1000)).append("\"},");
    }
    sb.setLength(Math.min(sb.length(), size - 3));
    while (sb.length() < size - 3) {
      sb.append(' ');
    }
    sb.append("]}\n");
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }
}
