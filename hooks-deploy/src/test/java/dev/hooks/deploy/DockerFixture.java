package dev.hooks.deploy;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Image;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A network, a busybox base image and probe containers on the real Docker Engine, all named
 * {@code hooks-deploy-it-<random>...} and removed by {@link #close()}.
 */
final class DockerFixture implements AutoCloseable {
  final DockerClient docker = Deployer.dockerClient();
  final String prefix;
  final String network;
  final String baseImage;
  private final List<String> containers = new ArrayList<>();

  DockerFixture(Path scratch) throws IOException {
    this(scratch, "hooks-deploy-it");
  }

  /** Names everything {@code <namePrefix>-<random>...}. */
  DockerFixture(Path scratch, String namePrefix) throws IOException {
    prefix = namePrefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    network = prefix + "-net";
    baseImage = prefix + "-base:latest";
    docker.createNetworkCmd().withName(network).withDriver("bridge").exec();
    Path dir = Files.createDirectories(scratch.resolve("base"));
    Files.copy(Path.of("/bin/busybox"), dir.resolve("busybox"));
    Files.writeString(dir.resolve("Dockerfile"), """
        FROM scratch
        COPY busybox /bin/busybox
        RUN ["/bin/busybox","--install","-s","/bin"]
        """, StandardCharsets.UTF_8);
    docker.buildImageCmd(dir.toFile()).withTags(Set.of(baseImage)).exec(new BuildImageResultCallback()).awaitImageId(120, TimeUnit.SECONDS);
  }

  /** Starts a container on the network that fetches {@code http://alias:8000/} every 100 ms and prints the page or FAIL. */
  String startProber(String alias) {
    String name = prefix + "-probe-" + containers.size();
    docker.createContainerCmd(baseImage).withName(name)
        .withCmd("sh", "-c", "while true; do wget -q -O- http://" + alias + ":8000/ || echo FAIL; sleep 0.1; done")
        .withHostConfig(HostConfig.newHostConfig().withNetworkMode(network).withInit(true)).exec();
    containers.add(name);
    docker.startContainerCmd(name).exec();
    return name;
  }

  /** Stops a prober and returns every line it printed. */
  List<String> stopProber(String name) throws InterruptedException {
    docker.stopContainerCmd(name).withTimeout(2).exec();
    return logs(name);
  }

  /** One fetch of {@code http://alias:8000/} from a fresh container on the network. */
  String fetch(String alias) throws InterruptedException {
    String name = prefix + "-fetch-" + containers.size();
    docker.createContainerCmd(baseImage).withName(name)
        .withCmd("sh", "-c", "wget -q -O- http://" + alias + ":8000/ || echo FAIL")
        .withHostConfig(HostConfig.newHostConfig().withNetworkMode(network)).exec();
    containers.add(name);
    docker.startContainerCmd(name).exec();
    docker.waitContainerCmd(name).start().awaitStatusCode(20, TimeUnit.SECONDS);
    return String.join("\n", logs(name)).strip();
  }

  List<String> logs(String name) throws InterruptedException {
    List<String> lines = new ArrayList<>();
    docker.logContainerCmd(name).withStdOut(true).withStdErr(true).exec(new ResultCallback.Adapter<Frame>() {
      @Override
      public void onNext(Frame f) {
        synchronized (lines) {
          new String(f.getPayload(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).forEach(lines::add);
        }
      }
    }).awaitCompletion(10, TimeUnit.SECONDS);
    synchronized (lines) {
      return new ArrayList<>(lines);
    }
  }

  /** The containers of a deployed service (by the deploy labels), running or not. */
  List<Container> serviceContainers(String service) {
    return docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(ContainerTarget.LABEL_SERVICE, service)).exec();
  }

  @Override
  public void close() {
    List<String> all = new ArrayList<>(containers);
    for (Container c : docker.listContainersCmd().withShowAll(true).exec()) {
      for (String n : c.getNames()) {
        if (n.startsWith("/" + prefix)) {
          all.add(c.getId());
        }
      }
    }
    for (String c : all) {
      try {
        docker.removeContainerCmd(c).withForce(true).exec();
      } catch (RuntimeException e) {
        // already gone
      }
    }
    // the service images first: the base image cannot go while images built on it remain
    List<String> images = new ArrayList<>();
    for (Image i : docker.listImagesCmd().exec()) {
      if (i.getRepoTags() != null && List.of(i.getRepoTags()).stream().anyMatch(t -> (t.startsWith(prefix) || t.contains("/" + prefix)) && !t.equals(baseImage))) {
        images.add(i.getId());
      }
    }
    images.add(baseImage);
    for (String i : images) {
      try {
        docker.removeImageCmd(i).withForce(true).exec();
      } catch (RuntimeException e) {
        // already removed
      }
    }
    try {
      docker.removeNetworkCmd(network).exec();
    } catch (RuntimeException e) {
      // already gone
    }
  }
}
