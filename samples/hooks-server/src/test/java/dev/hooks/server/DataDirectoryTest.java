package dev.hooks.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data directory's permissions: private files, except the modes of repository checkouts under deploy/. */
class DataDirectoryTest {
  @TempDir
  Path dir;

  @Test
  void newFilesBecomePrivateButCheckoutsUnderDeployKeepTheirExecutableBit() throws Exception {
    try (DataDirectory data = DataDirectory.open(dir)) {
      Path checkout = Files.createDirectories(dir.resolve("deploy/web/bin"));
      Path tool = checkout.resolve("busybox");
      // created with their modes, as git checkouts and databases create files (umask 022 leaves these)
      Files.createFile(tool, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
      Path journalFile = dir.resolve("journal-file");
      Files.createFile(journalFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
      Thread.sleep(500);

      await().atMost(Duration.ofSeconds(10)).until(() -> PosixFilePermissions.toString(Files.getPosixFilePermissions(journalFile)).equals("rw-------"));
      // a later walk of the whole directory leaves the checkout alone too
      data.tighten();
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tool))).isEqualTo("rwxr-xr-x");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("deploy")))).isEqualTo("rwx------");
    }
  }
}
