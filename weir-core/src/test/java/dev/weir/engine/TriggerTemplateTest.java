package dev.weir.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.expr.ExpressionException;
import dev.weir.flow.Flow;
import dev.weir.testing.EngineFixture;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TriggerTemplateTest {
  @TempDir Path dir;
  EngineFixture fx;
  Flow flow;

  @BeforeEach
  void setUp() {
    fx =
        new EngineFixture(
            dir,
            dev.weir.store.JdbcStateStore.h2(dir.resolve(".weir")),
            Map.of("WEIR_SECRET_HOOK", "hook-key-0123456789"),
            RunListener.NONE);
    flow =
        fx.parse(
            fx.write(
                "f.yaml",
                """
                id: orders
                namespace: shop
                tasks:
                  - {id: a, type: test.ok}
                """));
  }

  @AfterEach
  void tearDown() {
    fx.close();
  }

  @Test
  void a_trigger_template_sees_trigger_flow_and_secrets_and_the_secret_is_masked() {
    String out =
        fx.engine.renderForTrigger(
            flow,
            "{{ trigger.type }} {{ trigger.body.day }} {{ flow.namespace }}.{{ flow.id }}"
                + " {{ secret('HOOK') }}",
            "webhook",
            Map.of("body", Map.of("day", "2026-01-02")));
    assertThat(out).isEqualTo("webhook 2026-01-02 shop.orders hook-key-0123456789");
    assertThat(fx.engine.masker().mask(out)).doesNotContain("hook-key-0123456789");
  }

  @Test
  void a_trigger_template_has_no_run_inputs_or_vars() {
    assertThatThrownBy(() -> fx.engine.renderForTrigger(flow, "{{ inputs.day }}", "flow", null))
        .isInstanceOf(ExpressionException.class)
        .hasMessageContaining("unknown name 'inputs'")
        .hasMessageContaining("known: flow, trigger");
    assertThatThrownBy(
            () -> fx.engine.renderForTrigger(flow, "{{ trigger.path }}", "file", Map.of()))
        .hasMessageContaining("'trigger' has no 'path'")
        .hasMessageContaining("known: type");
    assertThatThrownBy(() ->
            fx.engine.renderForTrigger(
                flow, "{{ trigger.body.day }}", "webhook", Map.of("body", Map.of("id", 1))))
        .hasMessageContaining("'trigger.body' has no 'day'")
        .hasMessageContaining("known: id");
  }
}
