package dev.hooks.alerts;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A sink that records each effect in memory: a second implementation of the SPI beside the HTTP ones. */
final class RecordingSink implements IncidentSink {
  final String name;
  final List<String> effects = new CopyOnWriteArrayList<>();
  private final AtomicInteger ids = new AtomicInteger();

  RecordingSink(String name) {
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String open(Ticket t) {
    String ref = name + "-" + ids.incrementAndGet();
    effects.add("open " + ref + " " + t.summary());
    return ref;
  }

  @Override
  public void note(String ref, Ticket t, String text) {
    effects.add("note " + ref);
  }

  @Override
  public void close(String ref, Ticket t) {
    effects.add("close " + ref);
  }
}
