package dev.hooks.alerts;

class InMemoryIncidentStoreTest extends IncidentStoreContract {
  private final InMemoryIncidentStore store = new InMemoryIncidentStore();

  @Override
  protected IncidentStore store() {
    return store;
  }

  @Override
  protected IncidentStore second() {
    return store;
  }
}
