// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.access;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import terrain.testkit.MutableClock;

class RateLimiterTest {
  @Test
  void acquire_whenBurstSpent_waitsForRefillPerClient() {
    MutableClock clock = new MutableClock(Instant.parse("2026-11-28T10:00:00Z"));
    RateLimiter limiter = new RateLimiter(20, clock);
    for (int i = 0; i < 20; i++) {
      assertEquals(0, limiter.acquire("10.0.0.1"));
    }

    assertEquals(3, limiter.acquire("10.0.0.1"));
    assertEquals(0, limiter.acquire("10.0.0.2"));
    clock.advance(Duration.ofSeconds(3));
    assertEquals(0, limiter.acquire("10.0.0.1"));
    assertEquals(3, limiter.acquire("10.0.0.1"));
  }
}
