// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.lifecycle;

import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Stops what a service opened, in reverse order, carrying on past failures. */
public final class Closer {
  private static final Logger log = LoggerFactory.getLogger(Closer.class);

  private Closer() {}

  /** Pops and closes every resource (the last opened first); a failure is logged, not thrown. */
  public static void closeAll(Deque<AutoCloseable> resources) {
    while (!resources.isEmpty()) {
      AutoCloseable resource = resources.pop();
      try {
        resource.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        log.warn("Stopping {} failed", resource.getClass().getSimpleName(), e);
      }
    }
  }
}
