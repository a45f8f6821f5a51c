// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.event;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.Node;
import terrain.core.event.NodeReader.Fields;

/** Reads the {@code rewards} (briqs per action) and {@code tickets} (expiry, cap, golden odds). */
final class TicketsSection {

  private static final List<String> TICKET_KEYS = List.of("expiry", "perDeviceCap", "goldenOdds");

  private final NodeReader reader;

  TicketsSection(NodeReader reader) {
    this.reader = reader;
  }

  /** The briqs given per action, or null after reporting a problem. */
  Rewards rewards(Node node) {
    String context = "rewards";
    Fields f =
        reader.map(
            node,
            context,
            "must be a map of briqs per action, like {response: 2, idea: 1}",
            Rewards.ACTIONS);
    if (f == null) {
      return null;
    }
    Map<String, Integer> briqs = new LinkedHashMap<>();
    boolean complete = true;
    for (String action : f.values().keySet()) {
      Integer amount =
          reader.wholeNumber(reader.required(f, action, action + ": 2"), context, action, "2");
      if (amount != null && amount < 0) {
        reader.report(
            f.value(action), context, action + " is " + amount + "; write 0 or more briqs");
        amount = null;
      }
      complete &= amount != null;
      briqs.put(action, amount);
    }
    return complete ? reader.build(node, context, () -> new Rewards(briqs)) : null;
  }

  /** The rules of the printed tickets, or null after reporting a problem. */
  TicketRules tickets(Node node) {
    String context = "tickets";
    Fields f =
        reader.map(
            node,
            context,
            "must be a map like {expiry: 180d, perDeviceCap: 500, goldenOdds: 1/200}",
            TICKET_KEYS);
    if (f == null) {
      return null;
    }
    Integer days = TicketRules.DEFAULT_VALIDITY_DAYS;
    if (f.has("expiry")) {
      Node expiry = reader.optional(f, "expiry", "expiry: 180d");
      String text = reader.text(expiry, context, "expiry");
      days = text == null ? null : TicketRules.parseDays(text).orElse(null);
      if (text != null && (days == null || days < 1 || days > TicketRules.MAX_VALIDITY_DAYS)) {
        reader.report(
            expiry,
            context,
            "expiry \""
                + text
                + "\" is not a number of days; write it like 180d (1d to "
                + TicketRules.MAX_VALIDITY_DAYS
                + "d)");
        days = null;
      }
    }
    Integer cap = TicketRules.NO_CAP;
    if (f.has("perDeviceCap")) {
      Node capNode = reader.optional(f, "perDeviceCap", "perDeviceCap: 500");
      cap = reader.wholeNumber(capNode, context, "perDeviceCap", "500");
      if (cap != null && cap < 0) {
        reader.report(capNode, context, "perDeviceCap is " + cap + "; write 0 or more tickets");
        cap = null;
      }
    }
    TicketRules.GoldenOdds odds = TicketRules.GoldenOdds.never();
    if (f.has("goldenOdds")) {
      Node oddsNode = reader.optional(f, "goldenOdds", "goldenOdds: 1/200");
      String text = reader.text(oddsNode, context, "goldenOdds");
      odds = text == null ? null : TicketRules.GoldenOdds.parse(text).orElse(null);
      if (text != null && odds == null) {
        reader.report(
            oddsNode,
            context,
            "goldenOdds \""
                + text
                + "\" is not a chance; write it like 1/200 (one ticket in 200), or 0 for none");
      }
    }
    if (days == null || cap == null || odds == null) {
      return null;
    }
    int validity = days;
    int perDevice = cap;
    TicketRules.GoldenOdds golden = odds;
    return reader.build(node, context, () -> new TicketRules(validity, perDevice, golden));
  }
}
