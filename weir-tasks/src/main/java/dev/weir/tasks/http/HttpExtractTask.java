package dev.weir.tasks.http;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.weir.task.Audit;
import dev.weir.task.Dataset;
import dev.weir.task.DatasetRef;
import dev.weir.task.Required;
import dev.weir.task.TaskContext;
import dev.weir.task.TaskFailedException;
import dev.weir.task.TaskResult;
import dev.weir.task.TaskType;
import dev.weir.tasks.duck.DuckSession;
import dev.weir.tasks.duck.Sql;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Fetches records from a JSON HTTP API, page by page, into a staged dataset. Pages are appended to
 * a newline-delimited JSON file as they arrive, so memory holds one page at a time.
 */
public final class HttpExtractTask implements TaskType<HttpExtractTask.Config> {
  static final int DEFAULT_MAX_PAGES = 1000;
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
  static final int DEFAULT_MAX_RETRIES = 5;
  static final Duration DEFAULT_RETRY_DELAY = Duration.ofSeconds(1);
  static final Duration DEFAULT_MAX_RETRY_WAIT = Duration.ofMinutes(5);

  static final ObjectMapper JSON =
      JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

  /**
   * @param body a mapping or list (sent as JSON) or text (sent as is)
   * @param records JSON pointer to the array of records in each response; the whole body when
   *     omitted
   * @param rateLimit requests per second, across every request of the task
   * @param requestTimeout how long one request may take
   * @param schema column → DuckDB type; only these columns are kept
   */
  public record Config(
      @Required(example = "https://api.example.com/v1/orders") String url,
      Method method,
      LinkedHashMap<String, String> headers,
      LinkedHashMap<String, String> query,
      JsonNode body,
      Auth auth,
      String records,
      Pagination pagination,
      Integer maxPages,
      Double rateLimit,
      Duration requestTimeout,
      Integer maxRetries,
      Duration retryDelay,
      Duration maxRetryWait,
      LinkedHashMap<String, String> schema,
      dev.weir.tasks.contract.Contract contract) {}

  /** The HTTP methods an extract may use. */
  public enum Method {
    GET,
    POST,
    PUT,
    PATCH,
    DELETE
  }

  @Override
  public String name() {
    return "http.extract";
  }

  @Override
  public boolean setsRecordsAside() {
    return true;
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public List<String> validate(Config config) {
    var problems = new java.util.ArrayList<>(ConfigCheck.problems(config));
    problems.addAll(dev.weir.tasks.contract.Contract.validate(config.contract()));
    return problems;
  }

  @Override
  public TaskResult run(Config config, TaskContext context) throws Exception {
    List<String> problems = ConfigCheck.problems(config);
    if (!problems.isEmpty()) {
      throw TaskFailedException.permanent(
          "invalid http.extract configuration: " + String.join("; ", problems));
    }
    Auth auth = config.auth();
    String apiKeyParam =
        auth != null && auth.apiKey() != null && auth.apiKey().where() == Auth.Location.QUERY
            ? auth.apiKey().name()
            : null;
    var redactor = new Redactor(auth == null ? List.of() : auth.secrets(), apiKeyParam, context);
    var waiter = new Waiter();
    Path ndjson = context.stagingDir().resolve("records.ndjson");
    Duration timeout = or(config.requestTimeout(), DEFAULT_TIMEOUT);
    HttpClient client =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    var caller =
        new Caller(
            client,
            timeout,
            new Caller.Retries(
                or(config.maxRetries(), DEFAULT_MAX_RETRIES),
                or(config.retryDelay(), DEFAULT_RETRY_DELAY),
                or(config.maxRetryWait(), DEFAULT_MAX_RETRY_WAIT)),
            Credentials.of(auth, redactor, context.clock()),
            new Pacer(config.rateLimit(), context.clock(), waiter),
            waiter,
            redactor,
            context.logger(),
            context.clock());
    context.onCancel(() -> {
      waiter.cancel();
      caller.abort();
    });
    var fetch = new PageLoop(config, caller, redactor, context);
    // records that are not objects are set aside only where a schema says what the columns are
    var letters =
        config.schema() != null && !config.schema().containsKey("value")
            ? context.deadLetters()
            : dev.weir.deadletter.DeadLetters.NONE;
    RecordWriter written;
    try (var writer = new RecordWriter(ndjson, JSON, letters)) {
      written = writer;
      fetch.all(writer);
    } finally {
      client.shutdownNow();
    }
    var outputs = new LinkedHashMap<String, Object>();
    outputs.put("pages", fetch.pages());
    outputs.put("requests", caller.requests());
    outputs.put("retries", caller.retries());
    if (fetch.rows() == 0 && config.schema() == null) {
      throw new TaskFailedException(
          "http.extract got no records from "
              + redactor.url(fetch.firstUri())
              + " ("
              + fetch.pages()
              + " page(s)); without a schema an empty result has no columns to stage. Declare"
              + " the columns to accept an empty result as an empty dataset, e.g. `schema: {id:"
              + " BIGINT, name: VARCHAR}`, or check `records` ("
              + (config.records() == null ? "the whole body" : config.records())
              + ")",
          false,
          outputs,
          null);
    }
    context
        .logger()
        .info(
            "http.extract fetched "
                + fetch.rows()
                + " records in "
                + fetch.pages()
                + " page(s), "
                + caller.requests()
                + " request(s), "
                + caller.retries()
                + " retr"
                + (caller.retries() == 1 ? "y" : "ies"));
    context.deadLetters().handled(fetch.rows());
    Path out = context.stagingDir().resolve("data.parquet");
    try (DuckSession duck = DuckSession.memory(context)) {
      try {
        try {
          JsonStage.stage(duck, ndjson, config.schema(), out);
        } catch (SQLException e) {
          if (!context.deadLetters().enabled() || config.schema() == null) {
            throw e;
          }
          context
              .logger()
              .warn(
                  "http.extract: some records do not fit the schema ("
                      + redactor.text(Sql.message(e))
                      + "); setting them aside");
          Path good = context.stagingDir().resolve("records-fit.ndjson");
          JsonSift.sift(duck, ndjson, config.schema(), context.deadLetters(), written::place, good);
          JsonStage.stage(duck, good, config.schema(), out);
        }
      } catch (SQLException e) {
        throw new TaskFailedException(
            "http.extract could not stage the "
                + fetch.rows()
                + " records"
                + (config.schema() == null ? "" : " as the declared schema")
                + ": "
                + redactor.text(Sql.message(e))
                + (config.schema() == null ? "" : "; fix the column types in schema"),
            false,
            outputs,
            e);
      }
      Dataset dataset = duck.dataset(context.taskId(), out);
      if (config.contract() != null) {
        outputs.put("drift", config.contract().check(dataset, context));
      }
      Audit audit =
          Audit.NONE
              .read(fetch.rows())
              .rejected(context.deadLetters().rejected())
              .bytesRead(caller.bytes())
              .input(DatasetRef.url(config.url()).withRows(fetch.rows()).withBytes(caller.bytes()));
      return TaskResult.of(dataset, outputs).withAudit(audit);
    }
  }

  static <T> T or(T value, T fallback) {
    return value == null ? fallback : value;
  }
}
