package dev.hooks.spring;

import dev.hooks.Hooks;
import dev.hooks.metrics.HooksMetrics;
import dev.hooks.outbox.NotificationOutbox;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What Actuator shows of hooks, each part present only when its library is: the {@code hooks}
 * health component, the {@code hooks} endpoint, and the Micrometer meters.
 */
@AutoConfiguration(after = {HooksAutoConfiguration.class, HooksNotifyAutoConfiguration.class})
@ConditionalOnBean(Hooks.class)
public class HooksActuatorAutoConfiguration {

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
  static class Health {
    @Bean
    @ConditionalOnMissingBean(name = "hooksHealthIndicator")
    HooksHealthIndicator hooksHealthIndicator(Hooks hooks, ObjectProvider<NotificationOutbox> outbox,
        ObjectProvider<HooksHealthContributor> contributors) {
      return new HooksHealthIndicator(hooks, outbox.getIfAvailable(), contributors.orderedStream().toList());
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
  static class StatusEndpoint {
    @Bean
    @ConditionalOnMissingBean
    HooksEndpoint hooksEndpoint(Hooks hooks) {
      return new HooksEndpoint(hooks);
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
  static class Meters {
    @Bean
    @ConditionalOnMissingBean
    HooksMetrics hooksMetrics(Hooks hooks, ObjectProvider<NotificationOutbox> outbox) {
      return new HooksMetrics(hooks, outbox.getIfAvailable());
    }
  }
}
