package dev.hooks.spring;

/**
 * A {@code hooks.*} property that cannot work, with the property's name and the fix;
 * {@link HooksFailureAnalyzer} turns it into Spring Boot's "Description / Action" report.
 */
public final class HooksConfigurationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String property;
  private final String action;

  /**
   * @param property the property at fault, such as {@code hooks.endpoints.github.secret}
   * @param description what is wrong, without the property's value when it may be a secret
   * @param action what to do about it
   */
  public HooksConfigurationException(String property, String description, String action) {
    this(property, description, action, null);
  }

  /** As {@link #HooksConfigurationException(String, String, String)}, with the cause. */
  public HooksConfigurationException(String property, String description, String action, Throwable cause) {
    super(property + ": " + description, cause);
    this.property = property;
    this.action = action;
  }

  /** The property at fault. */
  public String property() {
    return property;
  }

  /** What to do about it. */
  public String action() {
    return action;
  }
}
