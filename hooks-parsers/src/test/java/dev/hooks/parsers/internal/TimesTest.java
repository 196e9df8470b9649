package dev.hooks.parsers.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TimesTest {
  @Test
  void readsTheFormsProvidersSend() {
    // GitHub push head_commit.timestamp (octokit/webhooks push example)
    assertThat(Times.parse("2015-05-05T19:40:15-04:00")).isEqualTo(Instant.parse("2015-05-05T23:40:15Z"));
    // Grafana / Alertmanager startsAt
    assertThat(Times.parse("2023-03-22T20:24:26.406Z")).isEqualTo(Instant.parse("2023-03-22T20:24:26.406Z"));
    assertThat(Times.parse("2018-08-24T14:26:48.129372452Z")).isEqualTo(Instant.parse("2018-08-24T14:26:48.129372452Z"));
    // GitLab
    assertThat(Times.parse("2016-08-12 15:23:28 UTC")).isEqualTo(Instant.parse("2016-08-12T15:23:28Z"));
    assertThat(Times.parse("2021-02-23 02:41:37 +0000")).isEqualTo(Instant.parse("2021-02-23T02:41:37Z"));
    // Bitbucket Server
    assertThat(Times.parse("2017-09-19T09:45:32+1000")).isEqualTo(Instant.parse("2017-09-18T23:45:32Z"));
  }

  @Test
  void strictIsoAgreesWithJavaTimeOnRandomInstantsAndOffsets() {
    Random random = new Random(20261124);
    for (int i = 0; i < 20_000; i++) {
      Instant instant = Instant.ofEpochSecond(random.nextInt(Integer.MAX_VALUE), random.nextBoolean() ? 0 : random.nextInt(1_000_000_000));
      ZoneOffset offset = ZoneOffset.ofTotalSeconds((random.nextInt(37) - 18) * 1800);
      String text = DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(OffsetDateTime.ofInstant(instant, offset));
      assertThat(Times.strictIso(text)).as(text).isEqualTo(OffsetDateTime.parse(text).toInstant());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "2015-02-30T10:00:00Z", "2015-13-01T10:00:00Z", "2015-01-01T24:00:00Z", "2015-01-01T10:60:00Z",
      "2015-01-01T10:00:00", "2015-01-01T10:00:00.Z", "2015-01-01T10:00:00+2:00", "2015-01-01T10:00:00+19:00",
      "2015-01-01 10:00:00Z", "2O15-01-01T10:00:00Z", "2015-01-01T10:00:00Zjunk", "2015-01-01T10:00:00.1234567891Z",
      // An Arabic-Indic six as the fraction: a digit to Character.isDigit, not to ISO-8601
      "2015-01-01T10:00:00.\u0666Z"})
  void strictIsoLeavesEverythingElseToTheFormatters(String text) {
    assertThat(Times.strictIso(text)).isNull();
  }

  @Test
  void unreadableTimesAreAbsentNotFailures() {
    assertThat(Times.parse("yesterday")).isNull();
    assertThat(Times.parse("2015-01-01T10:00:00.\u0666Z")).isNull();
    assertThat(Times.parse("  ")).isNull();
    assertThat(Times.parse(null)).isNull();
  }
}
