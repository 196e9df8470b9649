package dev.hooks.deploy;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.CloneCommand;
import org.eclipse.jgit.api.FetchCommand;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.ResetCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.jspecify.annotations.Nullable;

/**
 * The service's repository on disk: cloned once, fetched before each deployment, then the exact
 * commit checked out (detached, reset hard, untracked files removed), never "whatever the branch
 * points at now". Used by one pipeline thread at a time. Credentials go to JGit only, never to
 * a log or a message.
 */
final class GitCheckout {
  /** The tree checked out and what the commit says of itself. */
  record Source(Path dir, String commit, String author, String message) {}

  private final DeployService service;
  private final Path dir;

  GitCheckout(DeployService service, Path dir) {
    this.service = service;
    this.dir = dir;
  }

  /**
   * @param commit the full commit id; null for the head of the watched branch
   * @throws BuildFailedException if the repository cannot be fetched or has no such commit
   */
  Source checkout(@Nullable String commit) throws BuildFailedException {
    try {
      Git git = open();
      try (git) {
        FetchCommand fetch = git.fetch().setRemote("origin").setRemoveDeletedRefs(true)
            .setRefSpecs(new RefSpec("+refs/heads/*:refs/remotes/origin/*"));
        credentials(fetch);
        fetch.call();
        Repository repo = git.getRepository();
        ObjectId id;
        if (commit == null) {
          id = repo.resolve("refs/remotes/origin/" + service.branch());
          if (id == null) {
            throw new BuildFailedException("branch " + service.branch() + " does not exist in the repository");
          }
        } else {
          id = ObjectId.fromString(commit);
          if (!repo.getObjectDatabase().has(id)) {
            throw new BuildFailedException("commit " + commit + " is not in the repository after fetching");
          }
        }
        RevCommit rc;
        try (RevWalk walk = new RevWalk(repo)) {
          rc = walk.parseCommit(id);
        }
        git.checkout().setName(rc.getName()).setForced(true).call();
        git.reset().setMode(ResetCommand.ResetType.HARD).setRef(rc.getName()).call();
        git.clean().setCleanDirectories(true).setIgnore(false).setForce(true).call();
        return new Source(dir, rc.getName(), rc.getAuthorIdent().getName(), rc.getShortMessage());
      }
    } catch (IllegalArgumentException e) {
      throw new BuildFailedException("'" + commit + "' is not a commit id");
    } catch (GitAPIException | IOException e) {
      throw new BuildFailedException("git: " + e.getClass().getSimpleName() + ": " + safe(e.getMessage()), e);
    }
  }

  private Git open() throws GitAPIException, IOException {
    if (Files.isDirectory(dir.resolve(".git"))) {
      return Git.open(dir.toFile());
    }
    Files.createDirectories(dir.getParent());
    CloneCommand clone = Git.cloneRepository().setURI(uri()).setDirectory(dir.toFile()).setBranch(service.branch());
    credentials(clone);
    return clone.call();
  }

  private String uri() {
    String r = service.repository();
    if (r.contains("://") || r.contains("@")) {
      return r;
    }
    return new File(r).getAbsoluteFile().toURI().toString();
  }

  private void credentials(org.eclipse.jgit.api.TransportCommand<?, ?> cmd) {
    service.token().ifPresent(t -> cmd.setCredentialsProvider(new UsernamePasswordCredentialsProvider(service.tokenUser(), t.asText())));
  }

  /** JGit's messages may quote the URL, which may hold a token: keep only its scheme and host. */
  private String safe(@Nullable String message) {
    if (message == null) {
      return "";
    }
    return message.replaceAll("(\\w+://)[^/@\\s]*@", "$1****@");
  }
}
