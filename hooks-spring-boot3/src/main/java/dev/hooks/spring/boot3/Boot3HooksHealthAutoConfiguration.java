package dev.hooks.spring.boot3;

import dev.hooks.Hooks;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/** Registers {@link Boot3HooksHealthIndicator} when the application runs Spring Boot 3's Actuator. */
@AutoConfiguration(afterName = "dev.hooks.spring.HooksAutoConfiguration")
@ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
@ConditionalOnBean(Hooks.class)
public class Boot3HooksHealthAutoConfiguration {
  @Bean
  @ConditionalOnMissingBean(name = "hooksHealthIndicator")
  public Boot3HooksHealthIndicator hooksHealthIndicator(Hooks hooks) {
    return new Boot3HooksHealthIndicator(hooks);
  }
}
