package dev.weir.tasks.sftp;

import dev.weir.tasks.SftpTestServer;
import dev.weir.tasks.TestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A fresh in-process SFTP server per test, serving {@link #remote}; connection {@code partner}. */
abstract class SftpFixture {
  @TempDir Path dir;
  @TempDir Path remote;
  SftpTestServer server;
  TestContext ctx;

  @BeforeEach
  void startServer() throws Exception {
    server = SftpTestServer.start(remote);
    ctx = new TestContext(dir);
    ctx.connection(server.connection("partner", Map.of()));
  }

  @AfterEach
  void stopServer() throws Exception {
    server.close();
  }

  Path write(Path base, String relative, String content) throws Exception {
    Path p = base.resolve(relative);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
    return p;
  }
}
