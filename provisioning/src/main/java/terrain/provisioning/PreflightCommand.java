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
import java.util.Locale;
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
@Command(
    name = "preflight",
    mixinStandardHelpOptions = true,
    description = {
      "Ask a hub how its devices are: config bundle version and hash, clock skew against the hub,"
          + " printer, last contact, records pending, disk free, battery. One line per device,"
          + " green when ready, red with the problems otherwise; exit 1 if any is red or the hub"
          + " does not answer."
    })
final class PreflightCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--hub",
      required = true,
      paramLabel = "http://HOST:PORT",
      description = "The hub's HTTP address (its --http port), e.g. http://192.168.1.10:8080.")
  String hub;

  @Option(names = "--json", description = "Print the hub's answer as JSON.")
  boolean json;

  @Override
  public Integer call() throws ProvisionException {
    ProvisionMain.Context context = ProvisionMain.context(spec);
    HttpJson client =
        new HttpJson(
            HttpJson.baseUri(hub, "--hub"),
            "the hub",
            Optional.empty(),
            "check --hub (the hub's --http port) and that `terrain hub` runs there and is"
                + " reachable from here");
    String path = "/api/preflight";
    JsonNode answer = client.get(path);
    JsonNode devices = answer.path("devices");
    if (!answer.isObject() || !devices.isArray()) {
      throw client.malformed("GET", path, "no list of devices");
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    JsonNode hubNode = answer.path("hub");
    boolean hubOk = !hubNode.has("ok") || hubNode.path("ok").asBoolean(false);
    List<String> red = new ArrayList<>();
    if (!hubOk) {
      red.add("the hub");
    }
    Table table =
        new Table(
            "",
            "ID",
            "NAME",
            "KIND",
            "BUNDLE",
            "CLOCK",
            "PRINTER",
            "LAST CONTACT",
            "PENDING",
            "DISK FREE",
            "BATTERY",
            "PROBLEMS");
    for (JsonNode d : devices) {
      boolean ok = d.path("ok").isBoolean() && d.path("ok").asBoolean();
      if (!ok) {
        red.add(text(d, "id"));
      }
      List<String> problems = new ArrayList<>();
      d.path("problems").forEach(p -> problems.add(p.asText()));
      if (!ok && problems.isEmpty()) {
        problems.add(d.path("ok").isBoolean() ? "not ready" : "the hub does not say it is ready");
      }
      table.colouredRow(
          ok ? Table.GREEN : Table.RED,
          ok ? "OK" : "FAIL",
          text(d, "id"),
          text(d, "name"),
          text(d, "kind"),
          bundle(d),
          skew(d.path("clockSkewSeconds")),
          printer(d.path("printer")),
          ago(text(d, "lastContact"), context.clock().instant()),
          text(d, "pending"),
          bytes(d.path("diskFreeBytes")),
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
      String hubLine = "Hub " + client.base() + hubSummary(hubNode);
      out.println(
          context.ansi() ? (hubOk ? Table.GREEN : Table.RED) + hubLine + "\u001b[0m" : hubLine);
      if (table.isEmpty()) {
        out.println("no device has contacted this hub yet");
      } else {
        table.print(out, context.ansi());
      }
    }
    out.flush();
    if (!red.isEmpty()) {
      err.println(
          red.size()
              + " not ready: "
              + String.join(", ", red)
              + "; fix what PROBLEMS says, then run the preflight again");
      return ProvisionException.REFUSED;
    }
    if (!json) {
      out.println(
          "all "
              + devices.size()
              + (devices.size() == 1 ? " device is" : " devices are")
              + " ready");
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

  static String ago(String iso, Instant now) {
    if (iso.isEmpty()) {
      return "never";
    }
    Instant then;
    try {
      then = Instant.parse(iso);
    } catch (DateTimeParseException e) {
      return iso;
    }
    long s = Duration.between(then, now).getSeconds();
    if (s < 0) {
      return "in " + (-s) + " s";
    }
    if (s < 120) {
      return s + " s ago";
    }
    if (s < 7200) {
      return s / 60 + " min ago";
    }
    if (s < 172800) {
      return s / 3600 + " h ago";
    }
    return s / 86400 + " days ago";
  }

  static String bytes(JsonNode bytes) {
    if (!bytes.isNumber()) {
      return "";
    }
    double b = bytes.asDouble();
    String[] units = {"B", "kB", "MB", "GB", "TB"};
    int unit = 0;
    while (b >= 1000 && unit < units.length - 1) {
      b /= 1000;
      unit++;
    }
    return unit == 0 ? (long) b + " B" : String.format(Locale.ROOT, "%.1f %s", b, units[unit]);
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
