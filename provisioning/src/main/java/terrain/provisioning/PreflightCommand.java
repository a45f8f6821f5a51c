// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.provisioning;

import static terrain.provisioning.DeviceCommand.text;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code provision preflight --hub URL}: the evening before, is every device the hub knows ready?
 * One line per device, green or red, exit 1 if any is red.
 */
@Command(name = "preflight", mixinStandardHelpOptions = true)
final class PreflightCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--hub",
      required = true,
      paramLabel = "http://HOST:PORT",
      descriptionKey = "preflightHub")
  String hub;

  @Option(names = "--json", descriptionKey = "preflightJson")
  boolean json;

  @Override
  public Integer call() throws ProvisionException {
    ProvisionMain.Context context = ProvisionMain.context(spec);
    Texts texts = ProvisionMain.texts(spec);
    HttpJson client =
        new HttpJson(
            HttpJson.baseUri(hub, "--hub", texts),
            HttpJson.Peer.HUB,
            Optional.empty(),
            texts.get("preflight.startHint"),
            texts);
    String path = "/api/preflight";
    JsonNode answer = client.get(path);
    JsonNode devices = answer.path("devices");
    if (!answer.isObject() || !devices.isArray()) {
      throw client.malformed("GET", path, "malformed.noDevices");
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    JsonNode hubNode = answer.path("hub");
    boolean hubOk = !hubNode.has("ok") || hubNode.path("ok").asBoolean(false);
    List<String> red = new ArrayList<>();
    if (!hubOk) {
      red.add(texts.get("peer.hub"));
    }
    Table table = new Table(("|" + texts.get("preflight.header")).split(" *\\| *"));
    for (JsonNode d : devices) {
      boolean ok = d.path("ok").isBoolean() && d.path("ok").asBoolean();
      if (!ok) {
        red.add(text(d, "id"));
      }
      List<String> problems = new ArrayList<>();
      d.path("problems").forEach(p -> problems.add(p.asText()));
      if (!ok && problems.isEmpty()) {
        problems.add(
            texts.get(d.path("ok").isBoolean() ? "preflight.notReady" : "preflight.notSaid"));
      }
      table.colouredRow(
          ok ? Table.GREEN : Table.RED,
          texts.get(ok ? "preflight.ok" : "preflight.fail"),
          text(d, "id"),
          text(d, "name"),
          text(d, "kind"),
          bundle(d),
          skew(d.path("clockSkewSeconds")),
          printer(d.path("printer")),
          ago(text(d, "lastContact"), context.clock().instant(), texts),
          text(d, "pending"),
          bytes(d.path("diskFreeBytes"), texts),
          battery(d.path("battery")),
          String.join("; ", problems));
    }
    if (json) {
      try {
        out.println(HttpJson.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(answer));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
      }
    } else {
      String hubLine = texts.get("preflight.hubLine", client.base(), hubSummary(hubNode));
      out.println(
          context.ansi() ? (hubOk ? Table.GREEN : Table.RED) + hubLine + "\u001b[0m" : hubLine);
      if (table.isEmpty()) {
        out.println(texts.get("preflight.noDevice"));
      } else {
        table.print(out, context.ansi());
      }
    }
    out.flush();
    if (!red.isEmpty()) {
      err.println(texts.get("preflight.red", red.size(), String.join(", ", red)));
      return ProvisionException.REFUSED;
    }
    if (!json) {
      out.println(texts.get("preflight.allReady", devices.size()));
    }
    return 0;
  }

  private static String hubSummary(JsonNode hub) {
    StringBuilder line = new StringBuilder();
    for (Map.Entry<String, JsonNode> field : hub.properties()) {
      JsonNode value = field.getValue();
      if (value.isValueNode() && !value.isNull()) {
        line.append(line.isEmpty() ? ": " : ", ")
            .append(field.getKey())
            .append(' ')
            .append(value.asText());
      } else if (value.isArray() && !value.isEmpty()) {
        List<String> items = new ArrayList<>();
        value.forEach(v -> items.add(v.asText()));
        line.append(line.isEmpty() ? ": " : ", ")
            .append(field.getKey())
            .append(' ')
            .append(String.join("; ", items));
      }
    }
    return Table.oneLine(line.toString());
  }

  private static String bundle(JsonNode d) {
    String sequence = text(d, "bundleSequence");
    String sha = text(d, "bundleSha256");
    if (sequence.isEmpty() && sha.isEmpty()) {
      return "";
    }
    return "#"
        + (sequence.isEmpty() ? "?" : sequence)
        + (sha.isEmpty() ? "" : " " + sha.substring(0, Math.min(8, sha.length())));
  }

  private static String skew(JsonNode seconds) {
    if (!seconds.isNumber()) {
      return "";
    }
    long s = seconds.asLong();
    return (s > 0 ? "+" : "") + s + " s";
  }

  private static String printer(JsonNode printer) {
    if (printer.isValueNode() && !printer.isNull()) {
      return printer.asText();
    }
    if (printer.isObject()) {
      for (String key : List.of("state", "status", "message")) {
        if (printer.path(key).isValueNode() && !printer.path(key).isNull()) {
          return printer.path(key).asText();
        }
      }
      return DeviceCommand.json(printer);
    }
    return "";
  }

  static String ago(String iso, Instant now, Texts texts) {
    if (iso.isEmpty()) {
      return texts.get("ago.never");
    }
    Instant then;
    try {
      then = Instant.parse(iso);
    } catch (DateTimeParseException e) {
      return iso;
    }
    long s = Duration.between(then, now).getSeconds();
    if (s < 0) {
      return texts.get("ago.future", -s);
    }
    if (s < 120) {
      return texts.get("ago.seconds", s);
    }
    if (s < 7200) {
      return texts.get("ago.minutes", s / 60);
    }
    if (s < 172800) {
      return texts.get("ago.hours", s / 3600);
    }
    return texts.get("ago.days", s / 86400);
  }

  static String bytes(JsonNode bytes, Texts texts) {
    if (!bytes.isNumber()) {
      return "";
    }
    double b = bytes.asDouble();
    String[] units = texts.get("bytes.units").split(" ");
    int unit = 0;
    while (b >= 1000 && unit < units.length - 1) {
      b /= 1000;
      unit++;
    }
    return unit == 0
        ? (long) b + " " + units[0]
        : String.format(texts.locale(), "%.1f %s", b, units[unit]);
  }

  private static String battery(JsonNode battery) {
    if (battery.isNumber()) {
      double v = battery.asDouble();
      long percent = Math.round(v <= 1.0 && battery.isFloatingPointNumber() ? v * 100 : v);
      return percent + " %";
    }
    if (battery.isValueNode() && !battery.isNull()) {
      return battery.asText();
    }
    if (battery.isObject()) {
      return DeviceCommand.json(battery);
    }
    return "";
  }
}
