// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui.staff;

import terrain.kiosk.sync.SyncAgent;
import terrain.kiosk.sync.SyncRunner;
import terrain.kiosk.ui.Messages;

/**
 * The words for the state of the sending to the hub, shared by the staff panel and the tablet's
 * home screen: whether the hub is reachable, how many records wait, and the line shown when the
 * state cannot be read.
 */
public final class SyncWording {
  private SyncWording() {}

  /** How much the hub line tells. */
  public enum Detail {
    /** The tablet's home: reachable or not, without the reason nor the pause. */
    SHORT,
    /** The staff panel: also the pause and why the hub cannot be reached. */
    FULL
  }

  /** "No hub", (paused), "✔ reachable" or "⚠ unreachable (why)". */
  public static String hubLine(SyncRunner.View view, Messages t, Detail detail) {
    if (!view.hubGiven()) {
      return t.text("staffpanel.sync.nohub");
    }
    if (detail == Detail.FULL && view.paused()) {
      return t.text("staffpanel.sync.paused");
    }
    if (view.agent().map(SyncAgent.Status::hubReachable).orElse(false)) {
      return "✔ " + t.text("staffpanel.sync.reachable");
    }
    String why =
        detail == Detail.FULL
            ? view.agent().map(SyncAgent.Status::problem).filter(p -> !p.isBlank()).orElse("…")
            : "…";
    return "⚠ " + t.format("staffpanel.sync.unreachable", why);
  }

  /** The hub line, then how many records wait to be sent. */
  public static String hubAndPending(SyncRunner.View view, Messages t, Detail detail) {
    return hubLine(view, t, detail) + "\n" + t.format("staffpanel.sync.pending", view.pending());
  }

  /** Shown instead when the state could not be read. */
  public static String unreadable(Messages t, Exception e) {
    return t.format("staffpanel.sync.error", e.getMessage());
  }
}
