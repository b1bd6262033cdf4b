package dev.weir.server.api;

import dev.weir.flow.FlowSchema;
import dev.weir.task.TaskRegistry;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * The flow schema for editors ({@code GET /api/v1/schema/flow.json}), made from the server's task
 * types, plugins included. It is public like the OpenAPI document: it describes the flow language,
 * not anything the server holds, and editors fetch it without a token.
 */
public final class SchemaRoutes implements Consumer<Routes> {
  public static final String PATH = "/schema/flow.json";

  private final TaskRegistry taskTypes;
  private volatile byte[] schema;

  public SchemaRoutes(TaskRegistry taskTypes) {
    this.taskTypes = taskTypes;
  }

  @Override
  public void accept(Routes r) {
    r.get(PATH, ctx -> ctx.contentType("application/schema+json").result(schema()));
  }

  /** Made at the first request (the task types do not change while the server runs). */
  private byte[] schema() {
    byte[] s = schema;
    if (s == null) {
      s = FlowSchema.of(taskTypes).toPrettyString().getBytes(StandardCharsets.UTF_8);
      schema = s;
    }
    return s;
  }
}
