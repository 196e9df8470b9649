package dev.hooks.journal;

class InMemoryEventJournalTest extends EventJournalContract {
  @Override
  protected EventJournal newJournal() {
    return new InMemoryEventJournal();
  }
}
