package dev.hooks.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class InMemoryEventJournalTest extends EventJournalContract {
  @Override
  protected EventJournal newJournal() {
    return new InMemoryEventJournal();
  }

  @Test
  void doneEntriesPastTheBoundAreForgottenOldestFirstWithTheirDedupeKeys() {
    try (InMemoryEventJournal bounded = new InMemoryEventJournal(2)) {
      for (int i = 1; i <= 4; i++) {
        bounded.append(entry("r" + i, "d" + i, T0.plusSeconds(i)));
      }
      Map<String, Long> fences = bounded.claim("me", T0.plusSeconds(10), Duration.ofMinutes(1), 10).stream()
          .collect(Collectors.toMap(JournalEntry::requestId, JournalEntry::fence));
      // Finished out of arrival order: the bound follows the order entries were done.
      for (String id : List.of("r3", "r1", "r2")) {
        assertThat(bounded.complete(id, fences.get(id))).isTrue();
      }

      assertThat(bounded.find("r3")).isEmpty();
      assertThat(bounded.find("r1")).hasValueSatisfying(e -> assertThat(e.status()).isEqualTo(JournalEntry.Status.DONE));
      assertThat(bounded.find("r2")).isPresent();
      assertThat(bounded.find("r4")).hasValueSatisfying(e -> assertThat(e.status()).isEqualTo(JournalEntry.Status.PENDING));
      assertThat(bounded.counts()).isEqualTo(new JournalCounts(1, 2, 0));
      assertThat(bounded.append(entry("r5", "d3", T0.plusSeconds(20))).duplicate()).as("forgotten key").isFalse();
      assertThat(bounded.append(entry("r6", "d1", T0.plusSeconds(20))).requestId()).as("kept key").isEqualTo("r1");
    }
  }

  @Test
  void withNoDoneEntriesKeptPendingAndDeadOnesStay() {
    try (InMemoryEventJournal forgetful = new InMemoryEventJournal(0)) {
      forgetful.append(entry("r1", "d1", T0));
      forgetful.append(entry("r2", "d2", T0));
      forgetful.append(entry("r3", "d3", T0));
      for (JournalEntry e : forgetful.claim("me", T0.plusSeconds(1), Duration.ofMinutes(1), 2)) {
        if (e.requestId().equals("r1")) {
          forgetful.complete("r1", e.fence());
        } else {
          forgetful.deadLetter(e.requestId(), e.fence(), "gave up");
        }
      }

      assertThat(forgetful.find("r1")).isEmpty();
      assertThat(forgetful.deadLetters(10)).extracting(JournalEntry::requestId).containsExactly("r2");
      assertThat(forgetful.claim("me", T0.plusSeconds(2), Duration.ofMinutes(1), 10)).extracting(JournalEntry::requestId)
          .containsExactly("r3");
      assertThat(forgetful.counts()).isEqualTo(new JournalCounts(1, 0, 1));
    }
  }

  @Test
  void aNegativeBoundIsRefused() {
    assertThatThrownBy(() -> new InMemoryEventJournal(-1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
  }
}
