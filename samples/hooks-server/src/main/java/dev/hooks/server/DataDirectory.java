package dev.hooks.server;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's data directory, kept private on POSIX file systems: the directory is created (or
 * tightened) to {@code rwx------} and every file in it to {@code rw-------} (group and other
 * permissions taken away; an owner's execute bit is kept), those the database
 * creates later (H2 and RocksDB create their own files, with the process umask) included, which a
 * watch of the directory and of each directory in it tightens as they appear. On other file systems nothing is changed.
 * The contents of {@code deploy/} (hooks-deploy's repository checkouts) keep their modes: a file's
 * mode, such as an executable bit, is part of the source that is built; the directory itself is
 * {@code rwx------}, so nobody else reaches them. Thread-safe.
 */
final class DataDirectory implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(DataDirectory.class);
  static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
  static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
  /** Subdirectories whose contents are left as they are. */
  private static final Set<String> KEPT_AS_THEY_ARE = Set.of("deploy");

  private final Path dir;
  private final @Nullable WatchService watch;

  private DataDirectory(Path dir, @Nullable WatchService watch) {
    this.dir = dir;
    this.watch = watch;
  }

  /**
   * Creates {@code dir} if needed, makes it and its files private, and watches it for new files.
   *
   * @throws ConfigException if the directory cannot be created, saying to check {@code --data}
   */
  static DataDirectory open(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new ConfigException("cannot create the data directory " + dir + ": " + e.getMessage() + "; check --data", e);
    }
    try {
      if (!Files.getFileStore(dir).supportsFileAttributeView("posix")) {
        return new DataDirectory(dir, null);
      }
    } catch (IOException e) {
      return new DataDirectory(dir, null);
    }
    WatchService watch = null;
    try {
      watch = FileSystems.getDefault().newWatchService();
      dir.register(watch, StandardWatchEventKinds.ENTRY_CREATE);
    } catch (IOException | UnsupportedOperationException e) {
      LOG.debug("cannot watch {} for new files: {}", dir, e.toString());
    }
    DataDirectory d = new DataDirectory(dir, watch);
    d.tighten();
    if (watch != null) {
      d.watchSubdirectories(dir);
    }
    if (watch != null) {
      Thread t = new Thread(d::watchLoop, "hooks-data-permissions");
      t.setDaemon(true);
      t.start();
    }
    return d;
  }

  /** Sets the directory to 0700 and each file in it to 0600 (subdirectories 0700). */
  void tighten() {
    tighten(dir);
  }

  private void tighten(Path top) {
    set(top, DIRECTORY);
    if (isKept(top)) {
      return;
    }
    try (Stream<Path> files = Files.walk(top)) {
      files.filter(p -> !p.equals(top) && !isKept(p)).forEach(p -> set(p, Files.isDirectory(p) ? DIRECTORY : FILE));
    } catch (IOException e) {
      LOG.warn("cannot list the data directory {} to make its files private: {}", top, e.toString());
    }
  }

  /** Whether {@code p} is inside a subdirectory whose contents keep their modes. */
  private boolean isKept(Path p) {
    Path rel = dir.relativize(p);
    return rel.getNameCount() >= 2 && KEPT_AS_THEY_ARE.contains(rel.getName(0).toString());
  }

  /** Watches {@code top} and every directory under it (the embedded journal's, among them). */
  private void watchSubdirectories(Path top) {
    try (Stream<Path> dirs = Files.walk(top)) {
      dirs.filter(Files::isDirectory).filter(d -> !isKept(d) && !(KEPT_AS_THEY_ARE.contains(d.getFileName().toString()) && d.getParent().equals(dir)))
          .forEach(d -> {
        try {
          d.register(watch, StandardWatchEventKinds.ENTRY_CREATE);
        } catch (IOException | ClosedWatchServiceException e) {
          LOG.debug("cannot watch {} for new files: {}", d, e.toString());
        }
      });
    } catch (IOException e) {
      LOG.debug("cannot list {}: {}", top, e.toString());
    }
  }

  private void watchLoop() {
    try {
      while (true) {
        WatchKey key = watch.take();
        Path base = key.watchable() instanceof Path watched ? watched : dir;
        for (WatchEvent<?> event : key.pollEvents()) {
          if (event.context() instanceof Path name) {
            Path p = base.resolve(name);
            if (isKept(p)) {
              continue;
            }
            if (Files.isDirectory(p)) {
              // Files made in it before the watch took it are tightened by the walk after.
              watchSubdirectories(p);
              set(p, DIRECTORY);
              tighten(p);
            } else {
              set(p, FILE);
            }
          } else {
            tighten();
          }
        }
        if (!key.reset()) {
          return;
        }
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // closed: the server stops
    }
  }

  /**
   * Takes group and other permissions away; the owner's stay as they are, so that an executable
   * (a build context's binary under the deploy directory) stays executable by its owner. The
   * directory itself, and files created with the usual umask, end up 0700 and 0600.
   */
  private static void set(Path p, Set<PosixFilePermission> wanted) {
    if (Files.isSymbolicLink(p)) {
      return; // a link (in a deploy checkout, say) may point outside the data directory
    }
    try {
      Set<PosixFilePermission> now = Files.getPosixFilePermissions(p, java.nio.file.LinkOption.NOFOLLOW_LINKS);
      Set<PosixFilePermission> owner = java.util.EnumSet.noneOf(PosixFilePermission.class);
      for (PosixFilePermission perm : now) {
        if (perm.name().startsWith("OWNER_")) {
          owner.add(perm);
        }
      }
      // Owner read and write (and search, for a directory) always.
      owner.addAll(wanted);
      if (!owner.equals(now)) {
        Files.setPosixFilePermissions(p, owner);
      }
    } catch (java.nio.file.NoSuchFileException gone) {
      // a temporary file that was already removed
    } catch (IOException | UnsupportedOperationException e) {
      LOG.warn("cannot make {} private: {}", p, e.toString());
    }
  }

  /**
   * The key in {@code file}, made on first use: 32 bytes of {@code SecureRandom} in base64, the
   * file created {@code rw-------} (where the file system has POSIX permissions) so that only the
   * server's user reads it. The key used when no encryption key is configured: a copy of the
   * database file alone then does not open the endpoint secrets.
   *
   * @throws ConfigException if the file can be neither read nor written
   */
  static String keyFile(Path file) {
    try {
      if (Files.exists(file)) {
        return Files.readString(file).strip();
      }
      byte[] key = new byte[32];
      new java.security.SecureRandom().nextBytes(key);
      String text = java.util.Base64.getEncoder().encodeToString(key);
      Files.createDirectories(file.toAbsolutePath().getParent());
      try {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE));
      } catch (UnsupportedOperationException e) {
        Files.createFile(file);
      }
      Files.writeString(file, text + "\n");
      LOG.info("no encryption key is configured: endpoint secrets are sealed with the key generated into {};"
          + " keep it with the data directory, or set admin.encryption-key", file);
      return text;
    } catch (IOException e) {
      throw new ConfigException("cannot read or create the key file " + file + ": " + e.getMessage()
          + "; make the data directory writable, or set admin.encryption-key", e);
    }
  }

  /** Tightens once more (files created since) and stops watching. */
  @Override
  public void close() {
    tighten();
    if (watch != null) {
      try {
        watch.close();
      } catch (IOException e) {
        LOG.debug("closing the watch of {} failed", dir, e);
      }
    }
  }
}
