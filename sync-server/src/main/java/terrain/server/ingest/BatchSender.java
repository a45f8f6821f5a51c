// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.ingest;

import java.util.Optional;
import terrain.core.wire.Topics;

/**
 * Which hop sent the batch being committed on this thread: the ingest sets it from the batch's
 * topic around {@code Receiver.handle}, and a hook that runs in the committing transaction (the
 * results breakdowns by site) reads it. One instance per server, shared by its ingest and hooks; a
 * thread-local value, so several delivery threads never see each other's batch.
 */
public final class BatchSender {
  private final ThreadLocal<String> hub = new ThreadLocal<>();

  /** Runs {@code handling} with the sender of {@code topic} known to the hooks. */
  public void during(String topic, Runnable handling) {
    Topics.Up up = Topics.parseUp(topic).orElse(null);
    hub.set(up != null && up.sender() == Topics.Sender.HUB ? up.id().value() : "");
    try {
      handling.run();
    } finally {
      hub.remove();
    }
  }

  /** The hub whose batch is being committed; empty when a device sent it directly or unknown. */
  public Optional<String> hub() {
    String id = hub.get();
    return id == null || id.isEmpty() ? Optional.empty() : Optional.of(id);
  }
}
