package dev.hooks.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The whole application: hooks-spring-starter configures everything else from
 * {@code application.yml} (endpoints, journal, routes, notify targets, Actuator parts).
 */
@SpringBootApplication
public class SampleApplication {
  public static void main(String[] args) {
    SpringApplication.run(SampleApplication.class, args);
  }
}
