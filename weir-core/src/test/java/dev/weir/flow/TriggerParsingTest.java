package dev.weir.flow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.flow.trigger.Catchup;
import dev.weir.flow.trigger.FileTrigger;
import dev.weir.flow.trigger.FlowTrigger;
import dev.weir.flow.trigger.OnProcessed;
import dev.weir.flow.trigger.ScheduleTrigger;
import dev.weir.flow.trigger.TriggerDef;
import dev.weir.flow.trigger.WebhookTrigger;
import dev.weir.store.RunState;
import dev.weir.task.TaskRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What {@code flows/valid/triggers.yaml} resolves to. The rules each trigger property breaks are
 * fixtures in {@code flows/invalid/} ({@code trigger_*}, {@code concurrency_*}, {@code pool_*}),
 * checked with their exact messages by {@link InvalidFlowsTest}.
 */
class TriggerParsingTest {
  private static final FlowParser PARSER = new FlowParser(TaskRegistry.load());
  private static final Flow FLOW =
      PARSER.parse("triggers.yaml", Fixtures.read("valid", "triggers.yaml"));

  private static <T extends TriggerDef> T trigger(String id, Class<T> type) {
    return FLOW.triggers().stream()
        .filter(t -> t.id().equals(id))
        .map(type::cast)
        .findFirst()
        .orElseThrow();
  }

  private static Flow parse(String yaml) {
    return PARSER.parse("inline.yaml", yaml);
  }

  @Test
  void triggers_keep_their_order_and_types() {
    assertThat(FLOW.triggers())
        .extracting(TriggerDef::id, TriggerDef::type)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("daily", "schedule"),
            org.assertj.core.groups.Tuple.tuple("hourly", "schedule"),
            org.assertj.core.groups.Tuple.tuple("hook", "webhook"),
            org.assertj.core.groups.Tuple.tuple("literal_hook", "webhook"),
            org.assertj.core.groups.Tuple.tuple("after_customers", "flow"),
            org.assertj.core.groups.Tuple.tuple("after_other_namespace", "flow"),
            org.assertj.core.groups.Tuple.tuple("self_on_failure", "flow"),
            org.assertj.core.groups.Tuple.tuple("csv_drop", "file"),
            org.assertj.core.groups.Tuple.tuple("lake", "file"));
  }

  @Test
  void a_schedule_reads_its_zone_catchup_and_bounds() {
    ScheduleTrigger daily = trigger("daily", ScheduleTrigger.class);

    assertThat(daily.cron().expression()).isEqualTo("30 2 * * *");
    assertThat(daily.timezone()).isEqualTo(ZoneId.of("Europe/Berlin"));
    assertThat(daily.catchup()).isEqualTo(Catchup.ALL);
    assertThat(daily.start())
        .as("a date is midnight in the trigger's timezone")
        .isEqualTo(Instant.parse("2025-12-31T23:00:00Z"));
    assertThat(daily.end()).isEqualTo(Instant.parse("2026-12-31T22:59:59Z"));
    assertThat(daily.inputs()).containsExactly(Map.entry("source", "schedule"));
    assertThat(daily.disabled()).isFalse();
  }

  @Test
  void a_schedule_defaults_to_utc_latest_unbounded_and_enabled_unless_disabled() {
    ScheduleTrigger hourly = trigger("hourly", ScheduleTrigger.class);

    assertThat(hourly.timezone()).isEqualTo(ZoneOffset.UTC);
    assertThat(hourly.catchup()).isEqualTo(Catchup.LATEST);
    assertThat(hourly.start()).isNull();
    assertThat(hourly.end()).isNull();
    assertThat(hourly.disabled()).isTrue();
  }

  @Test
  void a_webhook_keeps_its_key_unrendered_and_its_inputs_as_templates() {
    WebhookTrigger hook = trigger("hook", WebhookTrigger.class);

    assertThat(hook.key()).isEqualTo("{{ secret('HOOK_KEY') }}");
    assertThat(hook.inputs())
        .containsExactly(
            Map.entry("day", "{{ trigger.body.day }}"), Map.entry("source", "webhook"));
    assertThat(hook.toString()).doesNotContain("HOOK_KEY");
    assertThat(trigger("literal_hook", WebhookTrigger.class).key()).isEqualTo("0123456789abcdef");
  }

  @Test
  void a_flow_trigger_defaults_to_its_own_namespace_and_succeeded() {
    FlowTrigger customers = trigger("after_customers", FlowTrigger.class);
    FlowTrigger other = trigger("after_other_namespace", FlowTrigger.class);

    assertThat(customers.namespace()).isEqualTo("shop.sales");
    assertThat(customers.flow()).isEqualTo("customers");
    assertThat(customers.states()).containsExactlyInAnyOrder(RunState.SUCCEEDED, RunState.FAILED);
    assertThat(other.namespace()).isEqualTo("shop.crm");
    assertThat(other.states()).containsExactly(RunState.SUCCEEDED);
    assertThat(other.matches("shop.crm", "orders_daily", RunState.SUCCEEDED)).isTrue();
    assertThat(other.matches("shop.sales", "orders_daily", RunState.SUCCEEDED)).isFalse();
    assertThat(trigger("self_on_failure", FlowTrigger.class).states())
        .as("a flow may follow its own failures")
        .isEqualTo(Set.of(RunState.FAILED));
  }

  @Test
  void a_file_trigger_reads_its_glob_interval_and_what_happens_to_processed_files() {
    FileTrigger drop = trigger("csv_drop", FileTrigger.class);
    FileTrigger lake = trigger("lake", FileTrigger.class);

    assertThat(drop.path()).isEqualTo("incoming/**/*.csv");
    assertThat(drop.resolvedPath(Path.of("/flows"))).isEqualTo("/flows/incoming/**/*.csv");
    assertThat(drop.interval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(drop.onProcessed()).isEqualTo(OnProcessed.MOVE);
    assertThat(drop.moveTo()).isEqualTo("incoming/done");
    assertThat(drop.connection()).isNull();
    assertThat(drop.isS3()).isFalse();
    assertThat(lake.isS3()).isTrue();
    assertThat(lake.resolvedPath(Path.of("/flows"))).isEqualTo("s3://raw/orders/*.json");
    assertThat(lake.connection()).isEqualTo("lake");
    assertThat(lake.interval()).isEqualTo(FileTrigger.DEFAULT_INTERVAL);
    assertThat(lake.onProcessed()).isEqualTo(OnProcessed.DELETE);
    assertThat(lake.moveTo()).isNull();
  }

  private static final String SFTP_FLOW =
      """
      id: partner
      namespace: test
      tasks:
        - {id: a, type: test.ok}
      triggers:
        - id: drop
          type: file
          path: %s
          onProcessed: move
          moveTo: %s
      """;

  @Test
  void a_file_trigger_may_watch_an_sftp_server() {
    FileTrigger t =
        (FileTrigger)
            parse(SFTP_FLOW.formatted("sftp://partner/out/*.csv", "sftp://partner/out/done/"))
                .triggers()
                .getFirst();
    assertThat(t.isSftp()).isTrue();
    assertThat(t.isS3()).isFalse();
    assertThat(t.resolvedPath(Path.of("/flows"))).isEqualTo("sftp://partner/out/*.csv");
    assertThat(t.moveTo()).isEqualTo("sftp://partner/out/done/");
  }

  @Test
  void an_sftp_trigger_needs_a_connection_name_and_moves_on_the_same_store() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> parse(SFTP_FLOW.formatted("sftp:///out/*.csv", "sftp://partner/done/")))
        .hasMessageContaining("needs a connection name and a path pattern");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> parse(SFTP_FLOW.formatted("sftp://partner/out/*.csv", "/data/done")))
        .hasMessageContaining("must be on the same store")
        .hasMessageContaining("e.g. sftp://partner/outgoing/done/");
  }

  @Test
  void concurrency_and_pools_are_read() {
    assertThat(FLOW.concurrency()).isEqualTo(new Concurrency(2, Concurrency.OnLimit.SKIP));
    assertThat(FLOW.tasks()).extracting(TaskDef::pool).containsExactly("warehouse", "reports.eu-1");
    assertThat(FLOW.task("extract").orElseThrow().properties().has("pool"))
        .as("not a task property")
        .isFalse();
  }

  @Test
  void a_flow_without_triggers_or_concurrency_has_none() {
    Flow flow = parse("id: plain\ntasks:\n  - id: a\n    type: test.ok\n");

    assertThat(flow.triggers()).isEmpty();
    assertThat(flow.concurrency()).isNull();
    assertThat(flow.tasks().get(0).pool()).isNull();
  }

  @Test
  void concurrency_queues_by_default() {
    Flow flow = parse("id: plain\nconcurrency: {limit: 1}\ntasks:\n  - id: a\n    type: test.ok\n");

    assertThat(flow.concurrency()).isEqualTo(new Concurrency(1, Concurrency.OnLimit.QUEUE));
  }

  @Test
  void every_cron_macro_is_accepted_in_a_flow() {
    for (String macro :
        List.of("@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly")) {
      Flow flow =
          parse(
              "id: m\ntasks: [{id: a, type: test.ok}]\ntriggers:\n  - {id: t, type: schedule, cron: \""
                  + macro
                  + "\"}\n");
      assertThat(((ScheduleTrigger) flow.triggers().get(0)).cron().expression()).isEqualTo(macro);
    }
  }

  @Test
  void queue_triggers_read_their_source_and_default_batch_wait_and_durable_name() {
    Flow flow =
        parse(
            """
            id: orders
            namespace: shop
            inputs: [{id: order, type: string}]
            tasks: [{id: a, type: test.ok}]
            triggers:
              - id: orders
                type: rabbitmq
                connection: events
                queue: orders
                inputs: {order: "{{ trigger.body }}"}
              - id: created
                type: nats
                connection: bus
                subject: orders.created
                stream: ORDERS
                maxBatch: 50
                maxWait: 5s
              - id: readings
                type: mqtt
                connection: sensors
                topic: plant/+/readings
                key: "{{ trigger.json.id }}"
              - id: clicks
                type: kafka
                connection: stream
                topic: clicks
                group: weir-clicks
            """);
    var t = flow.triggers().stream().map(x -> (dev.weir.flow.trigger.QueueTrigger) x).toList();
    assertThat(t)
        .extracting(q -> q.broker(), q -> q.source(), q -> q.group(), q -> q.maxBatch())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("rabbitmq", "orders", null, 1),
            org.assertj.core.groups.Tuple.tuple(
                "nats", "orders.created", "weir_shop_orders_created", 50),
            org.assertj.core.groups.Tuple.tuple(
                "mqtt", "plant/+/readings", "weir_shop_orders_readings", 1),
            org.assertj.core.groups.Tuple.tuple("kafka", "clicks", "weir-clicks", 1));
    assertThat(t.get(0).maxWait()).isEqualTo(Duration.ofSeconds(1));
    assertThat(t.get(1).maxWait()).isEqualTo(Duration.ofSeconds(5));
    assertThat(t.get(1).stream()).isEqualTo("ORDERS");
    assertThat(t.get(2).key()).isEqualTo("{{ trigger.json.id }}");
    assertThat(t.get(0).inputs()).containsEntry("order", "{{ trigger.body }}");
  }

  @Test
  void a_queue_trigger_reads_its_dead_letter_setting_as_a_task_does() {
    Flow flow =
        parse(
            """
            id: orders
            namespace: shop
            tasks: [{id: a, type: test.ok}]
            triggers:
              - id: orders
                type: rabbitmq
                connection: events
                queue: orders
                deadLetter: dead/{{ flow.id }}/
              - id: clicks
                type: kafka
                connection: stream
                topic: clicks
                deadLetter: {table: dead_clicks, connection: warehouse}
              - id: created
                type: nats
                connection: bus
                subject: orders.created
                stream: ORDERS
            """);
    var t = flow.triggers().stream().map(x -> (dev.weir.flow.trigger.QueueTrigger) x).toList();
    assertThat(t.get(0).deadLetter())
        .isEqualTo(new dev.weir.deadletter.DeadLetterSpec("dead/{{ flow.id }}/", null, null, null));
    assertThat(t.get(1).deadLetter())
        .isEqualTo(new dev.weir.deadletter.DeadLetterSpec(null, "dead_clicks", "warehouse", null));
    assertThat(t.get(2).deadLetter()).isNull();
  }
}
