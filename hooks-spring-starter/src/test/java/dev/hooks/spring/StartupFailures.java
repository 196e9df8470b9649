package dev.hooks.spring;

import static org.assertj.core.api.Assertions.assertThat;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.ApplicationContextAssertProvider;
import org.springframework.context.ApplicationContext;

/** The Description / Action report Spring Boot would print for a context that failed to start. */
final class StartupFailures {
  private StartupFailures() {}

  static <C extends ApplicationContext> FailureAnalysis analysis(ApplicationContextAssertProvider<C> ctx) {
    assertThat(ctx).hasFailed();
    FailureAnalysis a = new HooksFailureAnalyzer().analyze(ctx.getStartupFailure());
    assertThat(a).as("analysis of " + ctx.getStartupFailure()).isNotNull();
    return a;
  }
}
