package dev.hooks.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.beans.Introspector;
import java.beans.PropertyDescriptor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AnnotationTypeFilter;

/**
 * The metadata file IDEs complete from describes every property of every
 * {@code @ConfigurationProperties} class of the starter, found on the class path, not listed:
 * nested groups, and the properties of the classes in maps ({@code name.*.key}) and lists
 * ({@code name[*].key}), which spring-boot-configuration-processor leaves to
 * additional-spring-configuration-metadata.json.
 */
class ConfigurationMetadataTest {
  private static final String METADATA = "META-INF/spring-configuration-metadata.json";

  private static final java.net.URL STARTER = HooksProperties.class.getProtectionDomain().getCodeSource().getLocation();

  /** The starter's generated file: in target/classes when built here, in the starter's jar when another module runs these tests. */
  private static byte[] starterMetadata() throws Exception {
    Path location = Path.of(STARTER.toURI());
    if (Files.isDirectory(location)) {
      return Files.readAllBytes(location.resolve(METADATA));
    }
    try (java.util.jar.JarFile jar = new java.util.jar.JarFile(location.toFile())) {
      return jar.getInputStream(jar.getEntry(METADATA)).readAllBytes();
    }
  }

  @Test
  void theMetadataDescribesEveryPropertyOfEveryPropertiesClass() throws Exception {
    Map<String, String> described = new TreeMap<>();
    JsonNode metadata = new ObjectMapper().readTree(starterMetadata());
    metadata.path("properties").forEach(p -> described.put(p.path("name").asText(), p.path("description").asText()));

    Set<Class<?>> classes = propertiesClasses();
    assertThat(classes).contains(HooksProperties.class, HooksAlertsProperties.class);
    Set<String> expected = new TreeSet<>();
    for (Class<?> c : classes) {
      walk(c.getAnnotation(ConfigurationProperties.class).value(), c, expected);
    }
    Set<String> missing = new TreeSet<>(expected);
    missing.removeAll(described.keySet());
    assertThat(missing).as("properties without metadata").isEmpty();
    Set<String> undescribed = new TreeSet<>();
    expected.forEach(name -> {
      if (described.get(name).isBlank()) {
        undescribed.add(name);
      }
    });
    assertThat(undescribed).as("properties without a description").isEmpty();
    assertThat(expected).contains("hooks.alerts.enabled", "hooks.alerts.sinks.*.private-key", "hooks.alerts.endpoints[*].rules[*].regex",
        "hooks.endpoints.*.secret", "hooks.journal.data-dir");
  }

  @Test
  void theWalkFindsThePropertiesOfClassesInMapsAndLists() throws Exception {
    Set<String> names = new TreeSet<>();
    walk("hooks.alerts", HooksAlertsProperties.class, names);
    assertThat(names).contains("hooks.alerts.store.type", "hooks.alerts.sinks", "hooks.alerts.sinks.*.status-closed",
        "hooks.alerts.endpoints[*].trigger.open", "hooks.alerts.endpoints[*].mapping", "hooks.alerts.maintenance.global")
        .doesNotContain("hooks.alerts.store", "hooks.alerts.endpoints[*].trigger");
  }

  private static Set<Class<?>> propertiesClasses() throws ClassNotFoundException {
    ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
    scanner.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
    Set<Class<?>> out = new java.util.LinkedHashSet<>();
    for (BeanDefinition d : scanner.findCandidateComponents("dev.hooks.spring")) {
      Class<?> c = Class.forName(d.getBeanClassName());
      // the starter's own classes (target/classes, or its jar), not its tests'
      if (c.getProtectionDomain().getCodeSource().getLocation().equals(STARTER)) {
        out.add(c);
      }
    }
    return out;
  }

  static void walk(String prefix, Class<?> type, Set<String> out) throws Exception {
    for (PropertyDescriptor p : Introspector.getBeanInfo(type, Object.class).getPropertyDescriptors()) {
      if (p.getReadMethod() == null) {
        continue;
      }
      String name = prefix + "." + kebab(p.getName());
      Class<?> t = p.getPropertyType();
      Type generic = p.getReadMethod().getGenericReturnType();
      if (isOurs(t)) {
        walk(name, t, out);
      } else if (Map.class.isAssignableFrom(t) && isOurs(argument(generic, 1))) {
        out.add(name);
        walk(name + ".*", argument(generic, 1), out);
      } else if (Collection.class.isAssignableFrom(t) && isOurs(argument(generic, 0))) {
        out.add(name);
        walk(name + "[*]", argument(generic, 0), out);
      } else {
        out.add(name);
      }
    }
  }

  private static boolean isOurs(Class<?> c) {
    return c.getName().startsWith("dev.hooks.spring.") && !c.isEnum();
  }

  private static Class<?> argument(Type generic, int index) {
    if (generic instanceof ParameterizedType pt && pt.getActualTypeArguments()[index] instanceof Class<?> c) {
      return c;
    }
    return Object.class;
  }

  private static String kebab(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
  }
}
