// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Liveness and readiness, for a supervisor or a load balancer:
 *
 * <pre>
 * GET /healthz  200 {"status":"up"}: the process answers HTTP
 * GET /readyz   200 {"status":"ready","checks":{...}} when every required check passes,
 *               503 {"status":"unready","checks":{...}} naming the failing one(s)
 * </pre>
 *
 * Each check runs on a thread of its own with a deadline ({@link #CHECK_TIMEOUT}): a database that
 * hangs makes the check fail, never the request hang. An advisory check (a hub's uplink: the hub
 * works offline) is reported with its state but never makes the node unready.
 */
public final class Health {
  /** How long one check may take before it counts as failed. */
  public static final Duration CHECK_TIMEOUT = Duration.ofSeconds(1);

  /** Checks running at once at most; past that a check fails as busy, bounding the threads. */
  static final int MAX_RUNNING = 8;

  /** What a check found: up or down, and why when down (what to look at). */
  public record State(boolean up, String detail) {
    public static State ok() {
      return new State(true, null);
    }

    public static State down(String detail) {
      return new State(false, Objects.requireNonNull(detail, "detail"));
    }

    /** Up when {@code up}, otherwise down with {@code detailWhenDown}. */
    public static State of(boolean up, String detailWhenDown) {
      return up ? ok() : down(detailWhenDown);
    }
  }

  /** One readiness check; what it throws counts as down with the exception's message. */
  @FunctionalInterface
  public interface Check {
    State check() throws Exception;
  }

  private record Named(String name, Check check, boolean required) {}

  private final List<Named> checks;
  private final ThreadPoolExecutor runner;

  private Health(List<Named> checks) {
    this.checks = List.copyOf(checks);
    AtomicInteger count = new AtomicInteger();
    this.runner =
        new ThreadPoolExecutor(
            0,
            MAX_RUNNING,
            30,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            task -> {
              Thread thread = new Thread(task, "health-check-" + count.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Adds {@code GET /healthz} and {@code GET /readyz} to {@code routes}. */
  public Routes.Builder register(Routes.Builder routes) {
    return routes
        .get(
            "/healthz",
            (request, response, callback) ->
                Responses.sendJson(response, callback, 200, Map.of("status", "up")))
        .get(
            "/readyz",
            (request, response, callback) -> {
              Report report = report();
              Responses.sendJson(response, callback, report.ready() ? 200 : 503, report.json());
            });
  }

  /** The outcome of every check, and whether the required ones all passed. */
  public record Report(boolean ready, Map<String, State> states, Map<String, Boolean> required) {
    /** {@code {"status":"ready"|"unready","checks":{"NAME":{"status":"up"|"down",...}}}}. */
    public ObjectNode json() {
      ObjectNode root = JsonNodeFactory.instance.objectNode();
      root.put("status", ready ? "ready" : "unready");
      ObjectNode all = root.putObject("checks");
      states.forEach(
          (name, state) -> {
            ObjectNode check = all.putObject(name);
            check.put("status", state.up() ? "up" : "down");
            if (!required.get(name)) {
              check.put("required", false);
            }
            if (state.detail() != null) {
              check.put("detail", state.detail());
            }
          });
      return root;
    }
  }

  /** Runs every check at once, each within {@link #CHECK_TIMEOUT}. */
  public Report report() {
    List<Future<State>> running = new ArrayList<>();
    for (Named named : checks) {
      Future<State> future;
      try {
        future = runner.submit(named.check()::check);
      } catch (RejectedExecutionException e) {
        future = null;
      }
      running.add(future);
    }
    long deadline = System.nanoTime() + CHECK_TIMEOUT.toNanos();
    Map<String, State> states = new LinkedHashMap<>();
    Map<String, Boolean> required = new LinkedHashMap<>();
    boolean ready = true;
    for (int i = 0; i < checks.size(); i++) {
      Named named = checks.get(i);
      State state = await(running.get(i), deadline);
      states.put(named.name(), state);
      required.put(named.name(), named.required());
      ready &= state.up() || !named.required();
    }
    return new Report(ready, states, required);
  }

  private static State await(Future<State> future, long deadline) {
    if (future == null) {
      return State.down(
          "too many checks still running (a dependency hangs); look at the other checks and the"
              + " log");
    }
    try {
      State state = future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      return state == null ? State.down("the check answered nothing") : state;
    } catch (TimeoutException e) {
      future.cancel(true);
      return State.down("no answer within " + CHECK_TIMEOUT.toMillis() + " ms");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      return State.down(
          cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return State.down("interrupted");
    }
  }

  /** Collects checks in the order they are reported. */
  public static final class Builder {
    private final Map<String, Named> checks = new LinkedHashMap<>();

    private Builder() {}

    /** A check that must pass for {@code /readyz} to answer 200. */
    public Builder required(String name, Check check) {
      return add(new Named(name, check, true));
    }

    /** A check reported with its state that never makes the node unready. */
    public Builder advisory(String name, Check check) {
      return add(new Named(name, check, false));
    }

    private Builder add(Named named) {
      if (checks.putIfAbsent(named.name(), named) != null) {
        throw new IllegalArgumentException("Check [" + named.name() + "] is there already");
      }
      return this;
    }

    public Health build() {
      return new Health(new ArrayList<>(checks.values()));
    }
  }
}
