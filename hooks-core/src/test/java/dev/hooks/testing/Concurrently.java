package dev.hooks.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Races for the storage contract kits: n tasks on n threads, released at the same moment. */
public final class Concurrently {
  private Concurrently() {}

  /** A task given its index, 0 to n - 1. */
  @FunctionalInterface
  public interface IndexedTask<T> {
    T run(int index) throws Exception;
  }

  /** Runs {@code task(0..n-1)} on n threads released together; returns the results in index order. */
  public static <T> List<T> runConcurrently(int n, IndexedTask<T> task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int index = i;
        Callable<T> c = () -> {
          start.await();
          return task.run(index);
        };
        futures.add(pool.submit(c));
      }
      start.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> f : futures) {
        results.add(f.get(60, TimeUnit.SECONDS));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }
}
