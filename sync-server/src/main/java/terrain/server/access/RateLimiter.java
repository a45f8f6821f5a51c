// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.access;

import static terrain.http.Responses.sendError;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * A token bucket per client: {@code perMinute} attempts in a burst, refilled at {@code perMinute} a
 * minute. Kept in memory: each server instance limits on its own, which bounds guessing well enough
 * (a short code has 60 bits).
 */
public final class RateLimiter {
  private static final int MAX_CLIENTS = 100_000;

  private record Bucket(double tokens, long atMillis) {}

  private final int perMinute;
  private final Clock clock;
  private final Map<String, Bucket> buckets = new HashMap<>();

  public RateLimiter(int perMinute, Clock clock) {
    if (perMinute < 1) {
      throw new IllegalArgumentException("perMinute [" + perMinute + "] must be 1 or more");
    }
    this.perMinute = perMinute;
    this.clock = clock;
  }

  /**
   * Takes one attempt from the client's bucket. Returns 0 when allowed, else how many seconds to
   * wait before the next attempt is (the value of {@code Retry-After}).
   */
  public synchronized long acquire(String client) {
    long now = clock.millis();
    if (buckets.size() >= MAX_CLIENTS) {
      buckets.values().removeIf(b -> refilled(b, now) >= perMinute);
    }
    Bucket bucket = buckets.get(client);
    double tokens = bucket == null ? perMinute : refilled(bucket, now);
    if (tokens >= 1) {
      buckets.put(client, new Bucket(tokens - 1, now));
      return 0;
    }
    buckets.put(client, new Bucket(tokens, now));
    double perMilli = perMinute / 60_000.0;
    return Math.max(1, (long) Math.ceil((1 - tokens) / perMilli / 1000));
  }

  /**
   * As {@link #acquire}, answering a refusal: 429 with {@code Retry-After} and {@code {"error":
   * "too many ATTEMPTS from this address; try again in N s"}}, the callback completed.
   *
   * @param attempts what is limited, e.g. "claim attempts"
   * @return true when the attempt is allowed
   */
  public boolean admits(String client, Response response, Callback callback, String attempts) {
    long wait = acquire(client);
    if (wait == 0) {
      return true;
    }
    response.getHeaders().put(HttpHeader.RETRY_AFTER, wait);
    sendError(
        response,
        callback,
        429,
        "too many " + attempts + " from this address; try again in " + wait + " s");
    return false;
  }

  private double refilled(Bucket bucket, long now) {
    double perMilli = perMinute / 60_000.0;
    return Math.min(perMinute, bucket.tokens() + Math.max(0, now - bucket.atMillis()) * perMilli);
  }
}
