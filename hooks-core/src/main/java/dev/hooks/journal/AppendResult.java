package dev.hooks.journal;

/**
 * What {@link EventJournal#append} did.
 *
 * @param requestId the new entry's id, or for a duplicate the first entry's id
 * @param duplicate whether an entry with the same endpoint and delivery id already existed
 */
public record AppendResult(String requestId, boolean duplicate) {
  public static AppendResult appended(String requestId) {
    return new AppendResult(requestId, false);
  }

  public static AppendResult duplicateOf(String firstRequestId) {
    return new AppendResult(firstRequestId, true);
  }
}
