package dev.weir.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.store.RunFilter.TimeField;
import dev.weir.store.StateStore.Batch;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every store does for the runs list ({@link StateStore#searchRuns}): keyset pages in every
 * sort, each filter, the total, bad cursors. Runs at the same time and runs without a start or an
 * end are part of the data, since they are where keyset paging goes wrong.
 */
abstract class RunSearchContract {
  static final Instant T0 = Instant.parse("2026-03-01T05:00:00.123Z");
  static final String[] NAMESPACES = {"alpha", "beta"};
  static final String[] FLOWS = {"orders", "users", "zeta"};
  static final String[] TRIGGERS = {"manual", "schedule", "api"};

  JdbcStateStore store;
  List<RunRecord> all;

  abstract JdbcStateStore open() throws Exception;

  @BeforeEach
  void openStore() throws Exception {
    store = open();
    all = runs(83, new Random(12));
    store.write(new Batch(all, List.of(), List.of(), List.of()));
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  /**
   * {@code n} runs: three share each creation time, a few are queued (no start) or running (no
   * end), and durations repeat, so every sort has ties that only the run id breaks.
   */
  static List<RunRecord> runs(int n, Random rnd) {
    var out = new ArrayList<RunRecord>();
    RunState[] states = RunState.values();
    for (int i = 0; i < n; i++) {
      RunState state = states[rnd.nextInt(states.length)];
      Instant created = T0.plusSeconds(60L * (i / 3));
      Instant started = state == RunState.QUEUED ? null : created.plusSeconds(rnd.nextInt(4));
      Instant ended = state.isTerminal() ? started.plusMillis(500L * (1 + rnd.nextInt(8))) : null;
      out.add(
          new RunRecord(
              "r%04d%05d".formatted(rnd.nextInt(10_000), i),
              NAMESPACES[rnd.nextInt(NAMESPACES.length)],
              FLOWS[rnd.nextInt(FLOWS.length)],
              "rev0123456789abc",
              null,
              state,
              "{}",
              null,
              TRIGGERS[rnd.nextInt(TRIGGERS.length)],
              1,
              created,
              started,
              ended,
              state == RunState.FAILED ? "boom" : null,
              null));
    }
    return out;
  }

  /** The order a sort promises, written out in Java: null times and durations count as largest. */
  static Comparator<RunRecord> order(RunSort sort) {
    Comparator<RunRecord> byCreated = Comparator.comparing(RunRecord::createdAt);
    Comparator<RunRecord> c =
        switch (sort.key()) {
          case CREATED -> byCreated;
          case STARTED ->
              Comparator.comparing(
                  RunRecord::startedAt, Comparator.nullsLast(Comparator.naturalOrder()));
          case DURATION ->
              Comparator.comparing(
                  JdbcRunSearch::durationMs, Comparator.nullsLast(Comparator.naturalOrder()));
          case FLOW ->
              Comparator.comparing(RunRecord::namespace)
                  .thenComparing(RunRecord::flowId)
                  .thenComparing(byCreated);
          case STATE ->
              Comparator.comparing((RunRecord r) -> r.state().name()).thenComparing(byCreated);
        };
    c = c.thenComparing(RunRecord::id);
    return sort.descending() ? c.reversed() : c;
  }

  /** Every page of a search, bounded. */
  List<RunPage> pages(RunSearch first) {
    var pages = new ArrayList<RunPage>();
    RunSearch s = first;
    for (int i = 0; i < 200; i++) {
      RunPage p = store.searchRuns(s);
      pages.add(p);
      if (p.next() == null) {
        return pages;
      }
      s = s.next(p);
    }
    throw new AssertionError("more than 200 pages");
  }

  List<String> ids(List<RunPage> pages) {
    return pages.stream().flatMap(p -> p.runs().stream()).map(RunRecord::id).toList();
  }

  List<String> expected(Predicate<RunRecord> filter, RunSort sort) {
    return all.stream().filter(filter).sorted(order(sort)).map(RunRecord::id).toList();
  }

  @Test
  void paging_through_every_page_gives_every_run_once_in_the_order_of_each_sort() {
    for (RunSort.Key key : RunSort.Key.values()) {
      for (boolean desc : new boolean[] {true, false}) {
        var sort = new RunSort(key, desc);
        var pages = pages(new RunSearch(RunFilter.ANY, sort, 7, null));
        assertThat(ids(pages))
            .as("sort %s", sort)
            .containsExactlyElementsOf(expected(r -> true, sort));
        assertThat(pages).as("sort %s", sort).hasSize(12); // 83 runs, 7 a page
        assertThat(pages).allSatisfy(p -> assertThat(p.total()).isEqualTo(83));
        assertThat(pages.getLast().nextCursor()).isNull();
      }
    }
  }

  @Test
  void a_page_of_exactly_the_last_runs_has_no_next_page_and_the_only_page_needs_no_count() {
    var s = new RunSearch(RunFilter.ANY.withFlow("alpha", "orders"), RunSort.NEWEST, 500, null);
    long n =
        all.stream()
            .filter(r -> r.namespace().equals("alpha") && r.flowId().equals("orders"))
            .count();
    RunPage only = store.searchRuns(s);
    assertThat(only.runs()).hasSize((int) n);
    assertThat(only.total()).isEqualTo(n);
    assertThat(only.totalExact()).isTrue();
    assertThat(only.next()).isNull();

    var exact =
        pages(
            new RunSearch(
                RunFilter.ANY.withFlow("alpha", "orders"), RunSort.NEWEST, (int) n / 2, null));
    assertThat(ids(exact)).hasSize((int) n).doesNotHaveDuplicates();
    assertThat(exact.getLast().runs()).isNotEmpty();
  }

  @Test
  void each_filter_keeps_only_its_runs_on_every_page_and_counts_them() {
    Instant from = T0.plusSeconds(60 * 5);
    Instant to = T0.plusSeconds(60 * 20);
    record Case(String name, RunFilter filter, Predicate<RunRecord> keeps) {}
    var cases =
        List.of(
            new Case(
                "namespace",
                RunFilter.ANY.withFlow("beta", null),
                r -> r.namespace().equals("beta")),
            new Case(
                "flow in any namespace",
                RunFilter.ANY.withFlow(null, "users"),
                r -> r.flowId().equals("users")),
            new Case(
                "flow",
                RunFilter.ANY.withFlow("alpha", "zeta"),
                r -> r.namespace().equals("alpha") && r.flowId().equals("zeta")),
            new Case(
                "one state",
                RunFilter.ANY.withStates(RunState.FAILED),
                r -> r.state() == RunState.FAILED),
            new Case(
                "several states",
                RunFilter.ANY.withStates(RunState.QUEUED, RunState.RUNNING),
                r -> !r.state().isTerminal()),
            new Case(
                "triggers",
                RunFilter.ANY.withTriggers(List.of("schedule", "api")),
                r -> !r.trigger().equals("manual")),
            new Case(
                "created between",
                RunFilter.ANY.within(TimeField.CREATED, from, to),
                r -> !r.createdAt().isBefore(from) && r.createdAt().isBefore(to)),
            new Case(
                "started from",
                RunFilter.ANY.within(TimeField.STARTED, from.plusSeconds(2), null),
                r -> r.startedAt() != null && !r.startedAt().isBefore(from.plusSeconds(2))),
            new Case(
                "at least 2 s",
                RunFilter.ANY.lasting(Duration.ofSeconds(2), null),
                r -> r.endedAt() != null && JdbcRunSearch.durationMs(r) >= 2000),
            new Case(
                "1 s to 2.5 s",
                RunFilter.ANY.lasting(Duration.ofSeconds(1), Duration.ofMillis(2500)),
                r -> {
                  Long d = JdbcRunSearch.durationMs(r);
                  return d != null && d >= 1000 && d <= 2500;
                }),
            new Case(
                "all together",
                RunFilter.ANY
                    .withFlow("alpha", null)
                    .withStates(RunState.SUCCEEDED, RunState.FAILED)
                    .withTriggers(List.of("manual", "schedule"))
                    .within(TimeField.CREATED, T0, to)
                    .lasting(Duration.ofSeconds(1), null),
                r ->
                    r.namespace().equals("alpha")
                        && (r.state() == RunState.SUCCEEDED || r.state() == RunState.FAILED)
                        && !r.trigger().equals("api")
                        && r.createdAt().isBefore(to)
                        && JdbcRunSearch.durationMs(r) >= 1000));
    for (Case c : cases) {
      for (RunSort sort : List.of(RunSort.NEWEST, new RunSort(RunSort.Key.DURATION, false))) {
        var want = expected(c.keeps(), sort);
        assertThat(want).as(c.name()).isNotEmpty().hasSizeLessThan(all.size());
        var pages = pages(new RunSearch(c.filter(), sort, 4, null));
        assertThat(ids(pages)).as(c.name() + ", " + sort).containsExactlyElementsOf(want);
        assertThat(pages.getFirst().total()).as(c.name()).isEqualTo(want.size());
      }
    }
  }

  @Test
  void past_the_count_cap_the_total_stops_there_and_pages_read_in_index_order_all_the_same() {
    var many = runs(RunPage.COUNT_CAP + 3000, new Random(7));
    many = many.stream().map(r -> withId(r, "m" + r.id())).toList();
    for (int from = 0; from < many.size(); from += 2000) {
      store.write(
          new Batch(
              many.subList(from, Math.min(many.size(), from + 2000)),
              List.of(),
              List.of(),
              List.of()));
    }
    all = new ArrayList<>(all);
    all.addAll(many);
    RunPage first = store.searchRuns(RunSearch.first(RunFilter.ANY, 10));
    // H2 knows a table's row count at once; PostgreSQL would read every row, so it stops too
    if (first.totalExact()) {
      assertThat(first.total()).isEqualTo(all.size());
    } else {
      assertThat(first.total()).isEqualTo(RunPage.COUNT_CAP);
    }
    var notQueued =
        RunFilter.ANY.withStates(
            RunState.SUCCEEDED, RunState.FAILED, RunState.CANCELLED, RunState.RUNNING);
    Predicate<RunRecord> keeps = r -> r.state() != RunState.QUEUED;
    for (RunSort.Key key : RunSort.Key.values()) {
      var sort = new RunSort(key, key.ordinal() % 2 == 0);
      var s = new RunSearch(notQueued, sort, 100, null);
      var seen = new ArrayList<String>();
      for (int i = 0; i < 3; i++) {
        RunPage p = store.searchRuns(s);
        assertThat(p.total()).isEqualTo(RunPage.COUNT_CAP);
        assertThat(p.totalExact()).isFalse();
        p.runs().forEach(r -> seen.add(r.id()));
        s = s.next(p);
      }
      assertThat(seen)
          .as("sort %s", sort)
          .containsExactlyElementsOf(expected(keeps, sort).subList(0, 300));
    }
  }

  static RunRecord withId(RunRecord r, String id) {
    return new RunRecord(
        id,
        r.namespace(),
        r.flowId(),
        r.revision(),
        r.flowFile(),
        r.state(),
        r.inputs(),
        r.logicalDate(),
        r.trigger(),
        r.attempt(),
        r.createdAt(),
        r.startedAt(),
        r.endedAt(),
        r.error(),
        r.owner());
  }

  @Test
  void a_filter_no_run_matches_gives_one_empty_page() {
    RunPage p =
        store.searchRuns(RunSearch.first(RunFilter.ANY.withTriggers(List.of("webhook")), 10));
    assertThat(p.runs()).isEmpty();
    assertThat(p.total()).isZero();
    assertThat(p.next()).isNull();
  }

  @Test
  void runs_created_while_someone_pages_do_not_shift_the_pages_after() {
    var s = new RunSearch(RunFilter.ANY, RunSort.NEWEST, 10, null);
    RunPage first = store.searchRuns(s);
    var newer =
        runs(5, new Random(99)).stream()
            .map(r ->
                new RunRecord(
                    "n" + r.id(),
                    r.namespace(),
                    r.flowId(),
                    r.revision(),
                    null,
                    r.state(),
                    "{}",
                    null,
                    r.trigger(),
                    1,
                    r.createdAt().plusSeconds(86_400),
                    r.startedAt() == null ? null : r.startedAt().plusSeconds(86_400),
                    r.endedAt() == null ? null : r.endedAt().plusSeconds(86_400),
                    r.error(),
                    null))
            .toList();
    store.write(new Batch(newer, List.of(), List.of(), List.of()));
    var rest = pages(s.next(first));
    var seen = new ArrayList<>(first.runs().stream().map(RunRecord::id).toList());
    seen.addAll(ids(rest));
    assertThat(seen).containsExactlyElementsOf(expected(r -> true, RunSort.NEWEST));
    assertThat(rest.getFirst().total()).isEqualTo(88);
  }

  @Test
  void a_run_that_ends_gets_its_duration_and_is_found_by_it() {
    RunRecord running =
        all.stream().filter(r -> r.state() == RunState.RUNNING).findFirst().orElseThrow();
    var longRuns = RunFilter.ANY.lasting(Duration.ofHours(1), null);
    assertThat(store.searchRuns(RunSearch.first(longRuns, 10)).runs()).isEmpty();

    store.write(
        new Batch(
            List.of(),
            List.of(
                running.ended(
                    RunState.SUCCEEDED, running.startedAt().plus(Duration.ofMinutes(61)), null)),
            List.of(),
            List.of()));

    assertThat(store.searchRuns(RunSearch.first(longRuns, 10)).runs())
        .extracting(RunRecord::id)
        .containsExactly(running.id());
  }

  @Test
  void the_migration_fills_in_the_duration_of_runs_stored_before_it() throws Exception {
    DataSource ds = store.dataSource();
    String script =
        new String(
            Migrations.class.getResourceAsStream("V10__runs_list_sort_indexes.sql").readAllBytes(),
            StandardCharsets.UTF_8);
    String update =
        script
            .lines()
            .dropWhile(l -> !l.startsWith("UPDATE"))
            .takeWhile(l -> !l.startsWith("DROP"))
            .reduce("", (a, b) -> a + b + "\n")
            .trim();
    try (var c = ds.getConnection();
        var st = c.createStatement()) {
      st.execute("UPDATE weir_runs SET duration_ms = NULL");
      st.execute(update.substring(0, update.length() - 1)); // without its ';'
    }
    var sort = new RunSort(RunSort.Key.DURATION, true);
    assertThat(ids(pages(new RunSearch(RunFilter.ANY, sort, 50, null))))
        .containsExactlyElementsOf(expected(r -> true, sort));
  }

  @Test
  void the_old_run_query_still_lists_newest_first_with_its_filters() {
    var q = new StateStore.RunQuery("alpha", null, RunState.SUCCEEDED, 3);
    assertThat(store.listRuns(q))
        .extracting(RunRecord::id)
        .containsExactlyElementsOf(
            expected(
                    r -> r.namespace().equals("alpha") && r.state() == RunState.SUCCEEDED,
                    RunSort.NEWEST)
                .subList(0, 3));
    assertThat(store.listRuns(StateStore.RunQuery.latest(1000))).hasSize(83);
  }

  @Test
  void a_cursor_that_is_not_one_the_store_made_is_refused_with_what_to_do() {
    RunPage first = store.searchRuns(new RunSearch(RunFilter.ANY, RunSort.NEWEST, 5, null));
    String good = first.nextCursor();
    assertThat(RunCursor.parse(good)).isEqualTo(first.next());

    for (String bad :
        List.of(
            "not a cursor!",
            "",
            b64("{}"),
            b64("[\"r0\",\"created\",\"desc\",\"2026-01-01T00:00:00Z\",\"x\"]"),
            b64("[\"r1\",\"created\",\"sideways\",\"2026-01-01T00:00:00Z\",\"x\"]"),
            b64("[\"r1\",\"colour\",\"desc\",\"2026-01-01T00:00:00Z\",\"x\"]"),
            b64("[\"r1\",\"created\",\"desc\",\"yesterday\",\"x\"]"),
            b64("[\"r1\",\"created\",\"desc\",null,\"x\"]"),
            b64("[\"r1\",\"duration\",\"desc\",\"12.5\",\"x\"]"),
            b64("[\"r1\",\"created\",\"desc\",\"2026-01-01T00:00:00Z\"]"))) {
      assertThatThrownBy(() -> RunCursor.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("is not one this server made")
          .hasMessageContaining("leave cursor out for the first page");
    }
    // a cursor of one sort cannot page another
    assertThatThrownBy(() ->
            new RunSearch(RunFilter.ANY, new RunSort(RunSort.Key.FLOW, false), 5, first.next()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "the cursor was made for sort 'created desc', not 'flow asc'; keep the sort while"
                + " paging, or start again without a cursor");
  }

  @Test
  void limits_and_ranges_outside_their_bounds_are_refused() {
    assertThatThrownBy(() -> RunSearch.first(RunFilter.ANY, 501))
        .hasMessage("a page holds 1 to 500 runs, got limit 501");
    assertThatThrownBy(() -> RunSearch.first(RunFilter.ANY, 0))
        .hasMessage("a page holds 1 to 500 runs, got limit 0");
    assertThatThrownBy(() -> RunFilter.ANY.lasting(Duration.ofSeconds(5), Duration.ofSeconds(1)))
        .hasMessage("the minimum duration (5000 ms) is above the maximum (1000 ms)");
    assertThatThrownBy(() -> RunFilter.ANY.within(TimeField.CREATED, T0, T0))
        .hasMessageContaining("the time range must start before it ends");
    assertThatThrownBy(() -> RunSort.parse("colour", null))
        .hasMessage("unknown sort 'colour' (known: created, started, duration, flow, state)");
    assertThatThrownBy(() -> RunSort.parse(null, "up"))
        .hasMessage("unknown order 'up' (known: asc, desc)");
  }

  static String b64(String s) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
