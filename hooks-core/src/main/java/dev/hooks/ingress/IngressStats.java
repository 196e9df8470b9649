package dev.hooks.ingress;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Counters of what ingress answered since start. Thread-safe; reads are not a snapshot. */
public final class IngressStats {
  private final LongAdder received = new LongAdder();
  private final LongAdder accepted = new LongAdder();
  private final LongAdder duplicates = new LongAdder();
  private final EnumMap<IngressResult.Error, LongAdder> rejected = new EnumMap<>(IngressResult.Error.class);

  IngressStats() {
    for (IngressResult.Error e : IngressResult.Error.values()) {
      rejected.put(e, new LongAdder());
    }
  }

  void record(IngressResult result) {
    received.increment();
    if (result.status() == 202) {
      accepted.increment();
    } else if (result.status() == 200) {
      duplicates.increment();
    } else {
      result.error().ifPresent(e -> rejected.get(e).increment());
    }
  }

  public long received() {
    return received.sum();
  }

  public long accepted() {
    return accepted.sum();
  }

  public long duplicates() {
    return duplicates.sum();
  }

  /** Rejections by stable error code, every code present. */
  public Map<String, Long> rejectedByReason() {
    Map<String, Long> out = new LinkedHashMap<>();
    rejected.forEach((e, n) -> out.put(e.code(), n.sum()));
    return out;
  }
}
