package dev.hooks.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * A real git repository on disk (JGit) holding the tiny test service: Debian's static busybox,
 * a Dockerfile building {@code FROM scratch}, and a page naming the commit's content.
 */
final class ServiceRepo implements AutoCloseable {
  /** A service answering its page on 8000, gated on a HEALTHCHECK that fetches it. */
  static final String GOOD = """
      FROM scratch
      COPY busybox /bin/busybox
      RUN ["/bin/busybox","--install","-s","/bin"]
      COPY www /www
      HEALTHCHECK --interval=300ms --timeout=2s --retries=3 CMD wget -q -O- http://127.0.0.1:8000/ || exit 1
      CMD ["/bin/httpd","-f","-p","8000","-h","/www"]
      """;
  /** Serves on 8000, but its HEALTHCHECK asks 8001: it turns unhealthy. */
  static final String UNHEALTHY = GOOD.replace("127.0.0.1:8000", "127.0.0.1:8001");
  /** A RUN step that fails. */
  static final String BROKEN = GOOD.replace("COPY www /www", "COPY www /www\nRUN [\"/bin/sh\",\"-c\",\"echo compiling; echo missing dependency >&2; exit 3\"]");
  /** A build that takes about two seconds. */
  static final String SLOW = GOOD.replace("COPY www /www", "COPY www /www\nRUN sleep 2");

  final Path dir;
  final Git git;

  private ServiceRepo(Path dir, Git git) {
    this.dir = dir;
    this.git = git;
  }

  static ServiceRepo create(Path dir) throws IOException, GitAPIException {
    Files.createDirectories(dir);
    Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call();
    Files.copy(Path.of("/bin/busybox"), dir.resolve("busybox"));
    return new ServiceRepo(dir, git);
  }

  /** Commits the Dockerfile and a page holding {@code page} on {@code branch}; returns the commit id. */
  String commit(String branch, String dockerfile, String page) throws IOException, GitAPIException {
    if (git.getRepository().resolve("HEAD") != null && !branch.equals(git.getRepository().getBranch())) {
      boolean exists = git.getRepository().findRef("refs/heads/" + branch) != null;
      git.checkout().setName(branch).setCreateBranch(!exists).call();
    }
    Files.writeString(dir.resolve("Dockerfile"), dockerfile, StandardCharsets.UTF_8);
    Files.createDirectories(dir.resolve("www"));
    Files.writeString(dir.resolve("www/index.html"), page + "\n", StandardCharsets.UTF_8);
    git.add().addFilepattern(".").call();
    PersonIdent who = new PersonIdent("Ada Lovelace", "ada@example.com");
    RevCommit c = git.commit().setMessage("deploy " + page + "\n\nbody line").setAuthor(who).setCommitter(who).call();
    if (!"main".equals(branch)) {
      git.checkout().setName("main").call();
    }
    return c.getName();
  }

  String uri() {
    return dir.toUri().toString();
  }

  @Override
  public void close() {
    git.close();
  }
}
