package dev.weir.tasks.http;

import dev.weir.task.TaskResult;
import dev.weir.tasks.TestContext;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A fresh task context and a local API per test; {@link #extract} runs task "orders". */
abstract class ApiTestBase {
  @TempDir Path dir;
  TestContext ctx;
  TestApi api;

  @BeforeEach
  void startApi() {
    ctx = new TestContext(dir);
    api = new TestApi();
  }

  @AfterEach
  void stopApi() {
    api.close();
  }

  TaskResult extract(String yaml) throws Exception {
    return ctx.run("orders", new HttpExtractTask(), yaml);
  }
}
