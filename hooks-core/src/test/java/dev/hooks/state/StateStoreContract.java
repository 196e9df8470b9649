package dev.hooks.state;

import static dev.hooks.testing.Concurrently.runConcurrently;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hooks.state.StateStore.Versioned;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract kit every {@link StateStore} must pass. Extend it and return a new, empty store
 * from {@link #newStore()}:
 *
 * <pre>{@code
 * class MyStateStoreTest extends StateStoreContract {
 *   @Override
 *   protected StateStore newStore() {
 *     return new MyStateStore(...);
 *   }
 * }
 * }</pre>
 */
public abstract class StateStoreContract {
  protected StateStore store;

  /** A new, empty store. Called before every test. */
  protected abstract StateStore newStore();

  @BeforeEach
  void openStore() {
    store = newStore();
  }

  @Test
  void absentKeyHasNoValue() {
    assertThat(store.get("service/api")).isEmpty();
  }

  @Test
  void compareAndSetFromVersionZeroCreatesVersionOne() {
    OptionalLong v = store.compareAndSet("service/api", 0, "{\"failures\":1}");

    assertThat(v).hasValue(1);
    assertThat(store.get("service/api")).contains(new Versioned("{\"failures\":1}", 1));
  }

  @Test
  void compareAndSetFromVersionZeroFailsWhenTheKeyExists() {
    store.compareAndSet("service/api", 0, "first");

    assertThat(store.compareAndSet("service/api", 0, "second")).isEmpty();
    assertThat(store.get("service/api")).contains(new Versioned("first", 1));
  }

  @Test
  void compareAndSetWithTheCurrentVersionWritesTheNextVersion() {
    store.compareAndSet("k", 0, "a");

    assertThat(store.compareAndSet("k", 1, "b")).hasValue(2);
    assertThat(store.compareAndSet("k", 2, "c")).hasValue(3);
    assertThat(store.get("k")).contains(new Versioned("c", 3));
  }

  @Test
  void compareAndSetWithAStaleVersionFailsAndKeepsTheValue() {
    store.compareAndSet("k", 0, "a");
    store.compareAndSet("k", 1, "b");

    assertThat(store.compareAndSet("k", 1, "stale")).isEmpty();
    assertThat(store.compareAndSet("k", 7, "future")).isEmpty();
    assertThat(store.get("k")).contains(new Versioned("b", 2));
  }

  @Test
  void compareAndSetOfAnAbsentKeyWithAVersionFails() {
    assertThat(store.compareAndSet("k", 1, "x")).isEmpty();
    assertThat(store.get("k")).isEmpty();
  }

  @Test
  void deleteNeedsTheCurrentVersion() {
    store.compareAndSet("k", 0, "a");
    store.compareAndSet("k", 1, "b");

    assertThat(store.delete("k", 1)).isFalse();
    assertThat(store.get("k")).isPresent();
    assertThat(store.delete("k", 2)).isTrue();
    assertThat(store.get("k")).isEmpty();
    assertThat(store.delete("k", 2)).isFalse();
  }

  @Test
  void deletedKeyStartsAgainAtVersionOne() {
    store.compareAndSet("k", 0, "a");
    store.delete("k", 1);

    assertThat(store.compareAndSet("k", 0, "again")).hasValue(1);
  }

  @Test
  void valuesKeepEveryCharacter() {
    String value = "{\"note\":\"h\u00e9llo \u2603 \\\"quoted\\\"\\n\",\"big\":\"" + "x".repeat(20_000) + "\"}";

    store.compareAndSet("k", 0, value);

    assertThat(store.get("k").orElseThrow().value()).isEqualTo(value);
  }

  @Test
  void listReturnsEveryKeyWithThePrefixInKeyOrder() {
    store.compareAndSet("remediation/web", 0, "w");
    store.compareAndSet("remediation/api", 0, "a");
    store.compareAndSet("deploy/api", 0, "d");
    store.compareAndSet("remediation/api", 1, "a2");

    assertThat(store.list("remediation/")).containsExactly(
        java.util.Map.entry("remediation/api", new Versioned("a2", 2)),
        java.util.Map.entry("remediation/web", new Versioned("w", 1)));
    assertThat(store.list("")).hasSize(3);
    assertThat(store.list("nothing/")).isEmpty();
  }

  @Test
  void listTakesThePrefixLiterallyEvenWithPatternCharacters() {
    store.compareAndSet("a%b/1", 0, "x");
    store.compareAndSet("a_b/1", 0, "y");
    store.compareAndSet("aXb/1", 0, "z");
    store.compareAndSet("a\\b/1", 0, "w");

    assertThat(store.list("a%b/").keySet()).containsExactly("a%b/1");
    assertThat(store.list("a_b/").keySet()).containsExactly("a_b/1");
    assertThat(store.list("a\\b/").keySet()).containsExactly("a\\b/1");
  }

  @Test
  void ofConcurrentWritersOfOneVersionExactlyOneWins() throws Exception {
    store.compareAndSet("service/api", 0, "healthy");

    List<OptionalLong> results = runConcurrently(8, i -> store.compareAndSet("service/api", 1, "restarting-by-" + i));

    assertThat(results.stream().filter(OptionalLong::isPresent).count()).isEqualTo(1);
    assertThat(store.get("service/api").orElseThrow().version()).isEqualTo(2);
  }

  @Test
  void ofConcurrentCreatorsExactlyOneWins() throws Exception {
    List<OptionalLong> results = runConcurrently(8, i -> store.compareAndSet("lock/deploy", 0, "holder-" + i));

    assertThat(results.stream().filter(OptionalLong::isPresent).count()).isEqualTo(1);
    assertThat(store.get("lock/deploy").orElseThrow().version()).isEqualTo(1);
  }

  @Test
  void concurrentIncrementsThroughCompareAndSetLoseNoUpdate() throws Exception {
    int threads = 4;
    int perThread = 25;

    runConcurrently(threads, i -> {
      for (int n = 0; n < perThread; n++) {
        while (true) {
          var current = store.get("counter");
          long version = current.map(Versioned::version).orElse(0L);
          long value = current.map(v -> Long.parseLong(v.value())).orElse(0L);
          if (store.compareAndSet("counter", version, Long.toString(value + 1)).isPresent()) {
            break;
          }
        }
      }
      return null;
    });

    assertThat(store.get("counter")).contains(new Versioned(Integer.toString(threads * perThread), threads * perThread));
  }
}
