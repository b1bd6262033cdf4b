package dev.weir.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.testing.SchemaCheck;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlowSchemaApiTest {
  @TempDir Path dir;
  ServerFixture fx;

  @BeforeEach
  void start() throws Exception {
    fx = new ServerFixture(dir);
    fx.writeFlow("team/hello.yaml", ServerApiTest.HELLO);
    fx.start();
  }

  @AfterEach
  void stop() {
    fx.close();
  }

  @Test
  void serves_the_flow_schema_without_a_token_with_the_servers_task_types() {
    var r = fx.send(HttpRequest.newBuilder(fx.uri("/schema/flow.json")).GET());
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.headers().get("content-type"))
        .anySatisfy(t -> assertThat(t).startsWith("application/schema+json"));
    JsonNode schema = r.json();
    assertThat(schema.path("$schema").asText())
        .isEqualTo("https://json-schema.org/draft/2020-12/schema");
    assertThat(schema.at("/$defs/task/properties/type/enum").toString())
        .contains("\"file.read\"", "\"test.ok\"");

    var check = new SchemaCheck(schema);
    assertThat(check.errors("hello.yaml", ServerApiTest.HELLO)).isEmpty();
    assertThat(check.errors("hello.yaml", ServerApiTest.HELLO.replace("message:", "mesage:")))
        .isNotEmpty();
  }
}
