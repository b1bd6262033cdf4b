package dev.weir.tasks.http;

import dev.weir.flow.Durations;
import dev.weir.task.TaskFailedException;
import dev.weir.task.TaskLogger;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Sends requests within the rate limit, retrying 429, 5xx and I/O failures with {@code Retry-After}
 * or exponential backoff, and fetching a new OAuth2 token once on a 401. Redirects are not
 * followed, so credentials never reach another host.
 */
final class Caller {
  /** How the caller retries; the durations are positive. */
  record Retries(int max, Duration delay, Duration maxWait) {}

  private final HttpClient client;
  private final Duration timeout;
  private final Retries retries;
  private final Credentials credentials;
  private final Pacer pacer;
  private final Waiter waiter;
  private final Redactor redactor;
  private final TaskLogger log;
  private final InstantSource clock;
  private volatile CompletableFuture<?> inFlight;
  private long requests;
  private long received;
  private long retried;

  Caller(
      HttpClient client,
      Duration timeout,
      Retries retries,
      Credentials credentials,
      Pacer pacer,
      Waiter waiter,
      Redactor redactor,
      TaskLogger log,
      InstantSource clock) {
    this.client = client;
    this.timeout = timeout;
    this.retries = retries;
    this.credentials = credentials;
    this.pacer = pacer;
    this.waiter = waiter;
    this.redactor = redactor;
    this.log = log;
    this.clock = clock;
  }

  long requests() {
    return requests;
  }

  long retries() {
    return retried;
  }

  /** Bytes of the successful answers' bodies, for the audit trail. */
  long bytes() {
    return received;
  }

  /** Stops the request in flight; the thread waiting for it sees the cancellation. */
  void abort() {
    CompletableFuture<?> f = inFlight;
    if (f != null) {
      f.cancel(true);
    }
  }

  /**
   * Sends {@code call} until it gets a 2xx answer.
   *
   * @param authenticate add the task's credentials (false for the token request itself)
   * @throws TaskFailedException permanent for an answer retrying cannot change, retryable when the
   *     retries are used up
   */
  Response send(Call intended, boolean authenticate) throws InterruptedException {
    Call call = authenticate ? intended.at(credentials.uri(intended.uri())) : intended;
    boolean refreshed = false;
    int attempt = 0;
    while (true) {
      pacer.acquire();
      requests++;
      Response response = null;
      String failure;
      boolean unreachable;
      try {
        response = exchange(call, authenticate);
        int status = response.status();
        if (status >= 200 && status < 300) {
          received += response.body() == null ? 0 : response.body().length;
          return response;
        }
        if (status == 401 && authenticate && credentials.refreshable() && !refreshed) {
          refreshed = true;
          credentials.invalidate();
          log.info("http.extract: " + call.what() + " got 401; fetching a new OAuth2 token");
          continue;
        }
        if (status != 429 && status < 500) {
          throw TaskFailedException.permanent(rejected(call, response));
        }
        failure = "answered " + status + ": " + redactor.text(response.snippet());
        unreachable = status == 502 || status == 503 || status == 504;
      } catch (IOException e) {
        failure = "failed: " + redactor.text(describe(e));
        unreachable = true;
      }
      if (attempt >= retries.max()) {
        String message =
            "http.extract gave up on "
                + describe(call)
                + " after "
                + (attempt + 1)
                + " tries (maxRetries "
                + retries.max()
                + "); the last one "
                + failure;
        // a connection failure: the API could not be reached, not a refusal it can explain
        throw unreachable
            ? TaskFailedException.connection(message, null)
            : new TaskFailedException(message);
      }
      Duration wait = wait(response, attempt);
      log.warn(
          "http.extract: "
              + describe(call)
              + " "
              + failure
              + "; retry "
              + (attempt + 1)
              + " of "
              + retries.max()
              + " in "
              + seconds(wait));
      waiter.sleep(wait, "waiting to retry " + call.what());
      attempt++;
      retried++;
    }
  }

  private Response exchange(Call call, boolean authenticate)
      throws IOException, InterruptedException {
    var builder =
        HttpRequest.newBuilder(call.uri())
            .timeout(timeout)
            .method(
                call.method(),
                call.body() == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(call.body()));
    call.headers().forEach(builder::setHeader);
    if (authenticate) {
      for (Map.Entry<String, String> h : credentials.headers(this).entrySet()) {
        builder.setHeader(h.getKey(), h.getValue());
      }
    }
    HttpRequest request = builder.build();
    CompletableFuture<HttpResponse<byte[]>> future =
        client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
    inFlight = future;
    try {
      if (waiter.isCancelled()) {
        future.cancel(true);
      }
      HttpResponse<byte[]> r = future.get();
      return new Response(call.uri(), r.statusCode(), r.headers(), r.body());
    } catch (CancellationException e) {
      throw Waiter.cancelledWhile("sending " + call.what());
    } catch (InterruptedException e) {
      future.cancel(true);
      throw e;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (waiter.isCancelled()) {
        throw Waiter.cancelledWhile("sending " + call.what());
      }
      throw new IOException(cause == null ? e.toString() : cause.toString(), cause);
    } finally {
      inFlight = null;
    }
  }

  private Duration wait(Response response, int attempt) {
    Optional<Duration> asked =
        response == null
            ? Optional.empty()
            : RetryAfter.parse(
                response.headers().firstValue("Retry-After").orElse(null), clock.instant());
    if (asked.isPresent()) {
      if (asked.get().compareTo(retries.maxWait()) > 0) {
        throw new TaskFailedException(
            "http.extract: the server asked to wait "
                + seconds(asked.get())
                + " (Retry-After) before retrying, more than maxRetryWait "
                + seconds(retries.maxWait())
                + "; raise maxRetryWait or let the task's retry policy try later");
      }
      return asked.get();
    }
    // delay × 2^attempt, without overflowing for large attempts
    Duration backoff = retries.delay().multipliedBy(1L << Math.min(attempt, 20));
    return backoff.compareTo(retries.maxWait()) > 0 ? retries.maxWait() : backoff;
  }

  private String rejected(Call call, Response response) {
    int status = response.status();
    String hint =
        switch (status) {
          case 401, 403 -> "; check the credentials in auth and what they may access";
          case 404 -> "; check the url";
          default -> status >= 300 && status < 400 ? redirect(call, response) : "";
        };
    return "http.extract: "
        + describe(call)
        + " answered "
        + status
        + ": "
        + redactor.text(response.snippet())
        + hint;
  }

  // following a redirect could hand the credentials to another host
  private String redirect(Call call, Response response) {
    String location =
        response
            .headers()
            .firstValue("Location")
            .map(l -> {
              try {
                return redactor.url(call.uri().resolve(l));
              } catch (IllegalArgumentException e) {
                return redactor.text(l);
              }
            })
            .orElse("(no Location header)");
    return "; it redirects to "
        + location
        + ", which http.extract does not follow so that credentials never reach another host:"
        + " set url to the final address";
  }

  /** {@code page 2 (GET https://api.example.com/orders?page=2)}, credentials redacted. */
  String describe(Call call) {
    return call.what() + " (" + call.method() + " " + redactor.url(call.uri()) + ")";
  }

  private static String describe(IOException e) {
    if (e instanceof HttpTimeoutException) {
      return "no answer within the request timeout";
    }
    String m = e.getMessage();
    return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
  }

  private static String seconds(Duration d) {
    return Durations.format(d);
  }
}
