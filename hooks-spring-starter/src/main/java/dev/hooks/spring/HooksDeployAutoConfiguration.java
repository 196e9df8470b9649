package dev.hooks.spring;

import com.github.dockerjava.api.DockerClient;
import dev.hooks.Hooks;
import dev.hooks.deploy.DeployMeters;
import dev.hooks.deploy.DeployNotifications;
import dev.hooks.deploy.DeployService;
import dev.hooks.deploy.DeployWebhooks;
import dev.hooks.deploy.Deployer;
import dev.hooks.deploy.HealthGate;
import dev.hooks.deploy.SwarmOptions;
import dev.hooks.deploy.servlet.DeployAdminServlet;
import dev.hooks.dispatch.EventHandler;
import dev.hooks.endpoints.EndpointStore;
import dev.hooks.notify.NotifierRegistry;
import dev.hooks.outbox.NotificationOutbox;
import dev.hooks.route.Route;
import dev.hooks.state.StateStore;
import dev.hooks.verify.Secret;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Push to deploy from {@code hooks.deploy.*}: a {@link Deployer} over the application's state
 * store and the Docker Engine, its step notifications through the outbox to the targets each
 * service names, a meter of deployments by outcome, and the handler bean {@value #HANDLER} that
 * a route of signed pushes names. Every bean backs off when the application declares its own.
 *
 * <pre>{@code
 * hooks.endpoints.github.provider=github
 * hooks.endpoints.github.secret=${GITHUB_WEBHOOK_SECRET}
 * hooks.routes[0].type=push
 * hooks.routes[0].handlers=deploy
 * hooks.deploy.enabled=true
 * hooks.deploy.services.web.repository=${DEPLOY_REPO}
 * hooks.deploy.services.web.network=${DEPLOY_NETWORK}
 * }</pre>
 */
@AutoConfiguration(after = {HooksAutoConfiguration.class, HooksNotifyAutoConfiguration.class, HooksRemediationAutoConfiguration.class,
    HooksAdminAutoConfiguration.class},
    before = HooksActuatorAutoConfiguration.class)
@ConditionalOnClass({Deployer.class, DockerClient.class})
@ConditionalOnProperty(prefix = "hooks.deploy", name = "enabled", havingValue = "true")
@EnableConfigurationProperties(HooksDeployProperties.class)
public class HooksDeployAutoConfiguration {
  /** The bean name routes use for the deployer's handler: {@code hooks.routes[n].handlers=deploy}. */
  public static final String HANDLER = "deploy";
  /** Deployments that ended, tagged {@code service} and {@code outcome} ({@code completed}, {@code failed}, {@code rolled_back}, {@code rollback_failed}). */
  public static final String DEPLOYMENTS = DeployMeters.DEPLOYMENTS;

  /** The Docker Engine client, shared with remediation when both are on. */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public DockerClient hooksDeployDockerClient() {
    return Deployer.dockerClient();
  }

  /** The deployer: started with the context (it ends what a previous process left unfinished), closed with it. */
  @Bean(initMethod = "start", destroyMethod = "close")
  @ConditionalOnMissingBean
  public Deployer hooksDeployer(HooksDeployProperties properties, HooksProperties hooks, StateStore state, DockerClient docker,
      NotificationOutbox outbox, NotifierRegistry notifiers, ObjectProvider<MeterRegistry> meters) {
    if (properties.getServices().isEmpty()) {
      throw new HooksConfigurationException("hooks.deploy.services", "no service is declared",
          "Declare a service, such as hooks.deploy.services.web.repository=${DEPLOY_REPO} and hooks.deploy.services.web.network=${DEPLOY_NETWORK}.");
    }
    Path work = properties.getWorkDir() != null ? properties.getWorkDir() : hooks.getJournal().getDataDir().resolve("deploy");
    Deployer.Builder b = Deployer.builder(state, docker, work);
    if (properties.getLease() != null) {
      b.lease(properties.getLease());
    }
    DeployNotifications.Builder notify = DeployNotifications.builder(outbox, notifiers);
    Set<String> endpoints = hooks.getEndpoints().keySet();
    for (Map.Entry<String, HooksDeployProperties.Service> e : properties.getServices().entrySet()) {
      DeployService s = service(e.getKey(), e.getValue(), endpoints);
      b.service(s);
      notify.service(s.name(), s.notifyTargets());
    }
    b.listener(notify.build());
    MeterRegistry registry = meters.getIfAvailable();
    if (registry != null) {
      b.listener(DeployMeters.listener(registry));
    }
    return b.build();
  }

  /**
   * Pushes and tags of the webhooks the admin API generates ({@code deploy-<service>-<provider>})
   * to the deployer, whatever {@code hooks.routes} say.
   */
  @Bean
  @ConditionalOnMissingBean(name = "hooksDeployWebhooksRoute")
  public Route hooksDeployWebhooksRoute(Deployer deployer) {
    List<String> generated = new ArrayList<>();
    for (String service : deployer.services()) {
      DeployWebhooks.PROVIDERS.forEach(p -> generated.add(DeployWebhooks.endpointId(service, p)));
    }
    return Route.builder("deploy-webhooks").type("push", "tag").endpoint(generated.toArray(String[]::new))
        .handler(deployer.handler()).build();
  }

  /**
   * With the admin API on ({@code hooks.admin.enabled}), the deploy admin routes at
   * {@code <hooks.admin.path>/deploy/*} (status, history, deploy, rollback, cancel) and the webhook
   * URLs they generate, each secret sealed in the admin API's endpoint registry.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
  @ConditionalOnClass({ServletRegistrationBean.class, EndpointStore.class})
  @ConditionalOnBean(EndpointStore.class)
  static class DeployAdmin {

    /** The generated webhooks: those already made are registered in {@code Hooks} at start. */
    @Bean
    @ConditionalOnMissingBean
    DeployWebhooks hooksDeployWebhooks(EndpointStore registry, Hooks hooks, Deployer deployer) {
      DeployWebhooks webhooks = new DeployWebhooks(registry, java.time.Clock.systemUTC());
      webhooks.start(hooks, deployer.services(), null);
      return webhooks;
    }

    @Bean
    @ConditionalOnMissingBean(name = "hooksDeployAdminServletRegistration")
    ServletRegistrationBean<DeployAdminServlet> hooksDeployAdminServletRegistration(Deployer deployer, DeployWebhooks webhooks,
        HooksAdminProperties admin) {
      String token = HooksAdminAutoConfiguration.tokens(admin).values().iterator().next();
      String path = admin.getPath().strip().replaceAll("/+$", "") + "/deploy/*";
      ServletRegistrationBean<DeployAdminServlet> bean =
          new ServletRegistrationBean<>(new DeployAdminServlet(deployer, webhooks, admin.getPublicUrl(), token), path);
      bean.setName("hooksDeployAdminServlet");
      return bean;
    }
  }

  /** The handler of push events, routed by the name {@value #HANDLER}. */
  @Bean(HANDLER)
  @ConditionalOnMissingBean(name = HANDLER)
  public EventHandler deploy(Deployer deployer) {
    return deployer.handler();
  }

  static DeployService service(String name, HooksDeployProperties.Service c, Set<String> endpointIds) {
    String at = "hooks.deploy.services." + name;
    if (c.getRepository() == null || c.getRepository().isBlank()) {
      throw new HooksConfigurationException(at + ".repository", "service '" + name + "' has no repository",
          "Set " + at + ".repository to a git URL or path (https://, ssh://, file://), usually ${DEPLOY_REPO}.");
    }
    String target = c.getTarget() == null ? "containers" : c.getTarget().strip().toLowerCase(Locale.ROOT);
    if (!target.equals("containers") && !target.equals("swarm")) {
      throw new HooksConfigurationException(at + ".target", "'" + c.getTarget() + "' is no deployment target",
          "Set " + at + ".target to containers (the default) or swarm; a build stage is " + at + ".build-target.");
    }
    boolean swarm = target.equals("swarm");
    if (!swarm && (c.getNetwork() == null || c.getNetwork().isBlank())) {
      throw new HooksConfigurationException(at + ".network", "service '" + name + "' has no network",
          "Set " + at + ".network to an existing Docker network, usually ${DEPLOY_NETWORK}.");
    }
    for (String ep : c.getEndpoints()) {
      if (!endpointIds.contains(ep)) {
        throw new HooksConfigurationException(at + ".endpoints", "names '" + ep + "', which is not declared under hooks.endpoints",
            "Declare hooks.endpoints." + ep + " or use one of " + endpointIds + ".");
      }
    }
    try {
      DeployService.Builder b = DeployService.builder(name, c.getRepository());
      if (c.getNetwork() != null && !c.getNetwork().isBlank()) {
        b.network(c.getNetwork());
      }
      if (swarm) {
        b.swarm(swarm(c.getSwarm(), at + ".swarm"));
      }
      HooksDeployProperties.Service.Registry r = c.getRegistry();
      if (r.getUrl() != null && !r.getUrl().isBlank()) {
        b.registry(r.getUrl());
        boolean user = r.getUsername() != null && !r.getUsername().isBlank();
        boolean password = r.getPassword() != null && !r.getPassword().isBlank();
        if (user != password) {
          throw new HooksConfigurationException(at + ".registry", "has a username or a password, not both",
              "Set both " + at + ".registry.username and .password, or neither.");
        }
        if (user) {
          b.registryCredentials(r.getUsername(), Secret.of(r.getPassword()));
        }
      }
      if (c.getBranch() != null) {
        b.branch(c.getBranch());
      }
      c.getEndpoints().forEach(b::endpoint);
      if (!c.getEndpoints().isEmpty()) {
        // the webhooks the admin API generates for the service (deploy-<service>-<provider>)
        DeployWebhooks.PROVIDERS.forEach(p -> b.endpoint(DeployWebhooks.endpointId(name, p)));
      }
      if (c.getDockerfile() != null) {
        b.dockerfile(c.getDockerfile());
      }
      if (c.getContext() != null) {
        b.context(c.getContext());
      }
      c.getBuildArgs().forEach(b::buildArg);
      b.target(c.getBuildTarget());
      if (c.getBuildTimeout() != null) {
        b.buildTimeout(c.getBuildTimeout());
      }
      if (c.getAlias() != null) {
        b.alias(c.getAlias());
      }
      if (c.getPort() != null) {
        b.port(c.getPort());
      }
      b.gate(gate(c.getGate(), at + ".gate"));
      c.getNotify().forEach(b::notify);
      if (c.getRetain() != null) {
        b.retain(c.getRetain());
      }
      if (c.getToken() != null && !c.getToken().isBlank()) {
        b.token(Secret.of(c.getToken()), c.getTokenUser() != null ? c.getTokenUser() : "x-access-token");
      }
      return b.build();
    } catch (HooksConfigurationException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new HooksConfigurationException(at, e.getMessage() == null ? e.toString() : e.getMessage(),
          "Correct the properties under " + at + ".", e);
    }
  }

  private static SwarmOptions swarm(HooksDeployProperties.Service.Swarm c, String at) {
    SwarmOptions.Builder b = SwarmOptions.builder().serviceName(c.getServiceName());
    if (c.getPublishedPort() != null) {
      b.publishedPort(c.getPublishedPort());
    }
    if (c.getReplicas() != null) {
      b.replicas(c.getReplicas());
    }
    if (c.getOrder() != null) {
      switch (c.getOrder().strip().toLowerCase(Locale.ROOT)) {
        case "start-first" -> b.order(SwarmOptions.Order.START_FIRST);
        case "stop-first" -> b.order(SwarmOptions.Order.STOP_FIRST);
        default -> throw new HooksConfigurationException(at + ".order", "'" + c.getOrder() + "' is no update order",
            "Set " + at + ".order to start-first or stop-first.");
      }
    }
    if (c.getMonitor() != null) {
      b.monitor(c.getMonitor());
    }
    return b.build();
  }

  private static HealthGate gate(HooksDeployProperties.Service.Gate g, String at) {
    HealthGate.Builder b = HealthGate.builder();
    if (g.getDockerHealthcheck() != null) {
      b.dockerHealthcheck(g.getDockerHealthcheck());
    }
    if (g.getHttpPath() != null) {
      b.httpProbe(g.getHttpPath(), g.getExpectedStatus() != null ? g.getExpectedStatus() : 200);
    }
    if (g.getStartPeriod() != null) {
      b.startPeriod(g.getStartPeriod());
    }
    if (g.getInterval() != null) {
      b.interval(g.getInterval());
    }
    if (g.getTimeout() != null) {
      b.timeout(g.getTimeout());
    }
    if (g.getSuccessThreshold() != null) {
      b.successThreshold(g.getSuccessThreshold());
    }
    if (g.getDeadline() != null) {
      b.deadline(g.getDeadline());
    }
    try {
      return b.build();
    } catch (IllegalStateException e) {
      throw new HooksConfigurationException(at, e.getMessage(), "Set " + at + ".docker-healthcheck=true or " + at + ".http-path.", e);
    }
  }
}
