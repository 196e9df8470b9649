package dev.hooks.spring;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Reports a {@link HooksConfigurationException} as "Description / Action", naming the property. */
final class HooksFailureAnalyzer extends AbstractFailureAnalyzer<HooksConfigurationException> {
  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, HooksConfigurationException cause) {
    return new FailureAnalysis("The property '" + cause.property() + "' cannot be used: "
        + cause.getMessage().substring(cause.property().length() + 2), cause.action(), cause);
  }
}
