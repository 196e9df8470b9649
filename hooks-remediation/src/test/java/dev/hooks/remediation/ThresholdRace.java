package dev.hooks.remediation;

import dev.hooks.state.StateStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Two trackers, as two replicas would hold, over the stores given: each round brings one service
 * to one failure below the threshold, then both trackers report the crossing failure at the same
 * moment (two different events, as an autoheal webhook on one replica and a Docker event on the
 * other), and once more with one event id delivered to both. Records every ladder run.
 */
final class ThresholdRace {
  static final int THRESHOLD = 3;

  /** The ladder runs, as {@code service by tracker}, in order. */
  final List<String> runs = new CopyOnWriteArrayList<>();
  /** The outcomes of the racing calls, per round. */
  final List<List<FailureTracker.Outcome>> outcomes = new CopyOnWriteArrayList<>();
  private final FailureTracker a;
  private final FailureTracker b;

  ThresholdRace(StateStore storeA, StateStore storeB) {
    this.a = tracker(storeA, "a");
    this.b = tracker(storeB, "b");
  }

  private FailureTracker tracker(StateStore store, String name) {
    RemediationLadder ladder = RemediationLadder.builder()
        .step(ctx -> runs.add(ctx.service() + " by " + name))
        .verify(service -> true)
        .build();
    return FailureTracker.builder(store, ladder)
        .policy(RemediationPolicy.builder().threshold(THRESHOLD).build())
        .clock(Clock.systemUTC())
        .build();
  }

  /** Races the services of {@code rounds} projects to their threshold; a round's crossing uses distinct event ids, or one id when {@code sameEvent}. */
  void race(String project, int rounds, boolean sameEvent) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < rounds; round++) {
        // A project per round: while one service of a project cools down, its siblings' failures are not counted.
        ServiceKey service = ServiceKey.of(project + "-" + round, "web");
        for (int i = 1; i < THRESHOLD; i++) {
          (i % 2 == 0 ? a : b).recordFailure(service, "before-" + round + "-" + i, "unhealthy");
        }
        CyclicBarrier together = new CyclicBarrier(2);
        List<Future<FailureTracker.Outcome>> calls = new ArrayList<>();
        for (FailureTracker t : List.of(a, b)) {
          String id = sameEvent ? "crossing-" + round : "crossing-" + round + "-" + (t == a ? "a" : "b");
          calls.add(pool.submit(() -> {
            together.await(10, TimeUnit.SECONDS);
            return t.recordFailure(service, id, "unhealthy");
          }));
        }
        List<FailureTracker.Outcome> round0 = new ArrayList<>();
        for (Future<FailureTracker.Outcome> f : calls) {
          round0.add(f.get(30, TimeUnit.SECONDS));
        }
        outcomes.add(round0);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
