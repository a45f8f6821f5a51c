// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.provisioning;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import terrain.core.id.EventId;
import terrain.core.record.DeviceId;
import terrain.core.trust.DeviceKind;
import terrain.core.trust.EnrolmentText;
import terrain.core.trust.TrustException;

/** {@code provision device enrol|list|revoke|roll|replace}: the devices of events. */
@Command(
    name = "device",
    mixinStandardHelpOptions = true,
    description = "Enrol kiosks, tablets and hubs, print their kits; list, revoke, roll, replace.",
    subcommands = {
      DeviceCommand.Enrol.class,
      DeviceCommand.ListDevices.class,
      DeviceCommand.Revoke.class,
      DeviceCommand.Roll.class,
      DeviceCommand.Replace.class
    })
final class DeviceCommand {

  private static final Pattern HUB =
      Pattern.compile("(tcp|ssl)://[A-Za-z0-9.\\-\\[\\]:]+:\\d{1,5}");
  private static final Pattern PIN = Pattern.compile("\\d{4,8}");
  private static final int MAX_NAME = 60;
  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

  /** The kit's language. */
  static final class KitOptions {
    @Option(
        names = "--kit",
        paramLabel = "FILE.pdf",
        description =
            "Also write the A4 kit: per device a label, the enrolment QR code, what to do.")
    Path kit;

    @Option(
        names = "--lang",
        paramLabel = "LANG",
        defaultValue = "fr",
        description = "Language of the kit: fr or en. Default: ${DEFAULT-VALUE}.")
    String lang;

    Locale locale() throws ProvisionException {
      return switch (lang.strip().toLowerCase(Locale.ROOT)) {
        case "fr" -> Locale.FRENCH;
        case "en" -> Locale.ENGLISH;
        default -> throw ProvisionException.usage("--lang [" + lang + "] must be fr or en");
      };
    }

    /** Refuses a kit path that cannot be written, before anything is asked of the server. */
    void checkWritable() throws ProvisionException {
      if (kit == null) {
        return;
      }
      locale();
      if (!kit.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".pdf")) {
        throw ProvisionException.usage("--kit [" + kit + "] must end with .pdf");
      }
      Path dir = kit.toAbsolutePath().getParent();
      if (dir == null || !Files.isDirectory(dir) || !Files.isWritable(dir)) {
        throw ProvisionException.usage(
            "--kit [" + kit + "]: the folder " + dir + " does not exist or is not writable");
      }
      if (Files.isDirectory(kit)) {
        throw ProvisionException.usage("--kit [" + kit + "] is a folder: give a file name");
      }
    }

    /** Writes the kit, whole or not at all. */
    void write(List<KitDevice> devices, ZoneId zone, PrintWriter err) throws ProvisionException {
      byte[] pdf = new KitPdf(locale(), zone).render(devices);
      Path target = kit.toAbsolutePath();
      try {
        Path temp = Files.createTempFile(target.getParent(), ".kit-", ".pdf.part");
        try {
          Files.write(temp, pdf);
          Files.move(
              temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
          Files.deleteIfExists(temp);
        }
      } catch (IOException e) {
        String ids = String.join(" ", devices.stream().map(KitDevice::id).toList());
        throw new ProvisionException(
            ProvisionException.REFUSED,
            "the devices are enrolled but the kit cannot be written to "
                + kit
                + " ("
                + e.getMessage()
                + "): print a new kit with `terrain provision device roll ID --kit FILE.pdf` for"
                + " each of "
                + ids,
            e);
      }
      int pages = (devices.size() + KitPdf.PER_PAGE - 1) / KitPdf.PER_PAGE;
      err.println(
          "kit written to "
              + kit
              + " ("
              + devices.size()
              + (devices.size() == 1 ? " device, " : " devices, ")
              + pages
              + (pages == 1 ? " page" : " pages")
              + "): print it on A4 and keep it safe, its codes enrol devices until they expire");
    }
  }

  static String deviceId(String text, String what) throws ProvisionException {
    try {
      String id = DeviceId.of(text.strip()).value();
      if (id.chars().allMatch(c -> c == '.')) {
        throw new IllegalArgumentException("dots only");
      }
      return id;
    } catch (IllegalArgumentException e) {
      throw ProvisionException.usage(
          what
              + " ["
              + text
              + "] is not a device id: letters, digits, '.', '_' or '-', e.g. kiosk-3f9a1c (see"
              + " `terrain provision device list`)");
    }
  }

  static String eventId(String text) throws ProvisionException {
    if (!EventId.isValid(text)) {
      throw ProvisionException.usage(
          "--event ["
              + text
              + "] is not an event id: "
              + terrain.core.id.Slug.RULE
              + ", as in"
              + " the event file's id");
    }
    return text;
  }

  static String text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isValueNode() && !value.isNull() ? value.asText() : "";
  }

  static String when(String iso, ZoneId zone) {
    if (iso.isEmpty()) {
      return "";
    }
    try {
      return WHEN.format(Instant.parse(iso).atZone(zone));
    } catch (DateTimeParseException e) {
      return iso;
    }
  }

  static String json(JsonNode node) {
    try {
      return HttpJson.JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
    }
  }

  /** An enrolment of the server's answer as a device of the kit, or why it is not one. */
  static KitDevice kitDevice(
      JsonNode device,
      DeviceKind kind,
      String event,
      Optional<String> hub,
      HttpJson client,
      String path)
      throws ProvisionException {
    String id = text(device, "id");
    String enrolment = text(device, "enrolment");
    try {
      EnrolmentText.parse(enrolment);
    } catch (TrustException e) {
      throw client.malformed("POST", path, "an enrolment text that does not read back");
    }
    Instant expires;
    try {
      expires = Instant.parse(text(device, "expiresAt"));
    } catch (DateTimeParseException e) {
      throw client.malformed("POST", path, "no expiresAt time for " + id);
    }
    String name = text(device, "name");
    return new KitDevice(id, kind, name.isEmpty() ? id : name, event, enrolment, expires, hub);
  }

  @Command(
      name = "enrol",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = {
        "Enrol devices for an event: each gets an id and a single-use enrolment text that expires"
            + " (48 h by default), to give the device (terrain kiosk --enrol TEXT, terrain hub"
            + " --enrol TEXT) as a QR code on the kit or as text."
      })
  static final class Enrol implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ServerOptions server;

    @Option(
        names = "--kind",
        required = true,
        paramLabel = "KIND",
        description = "What the devices are: kiosk, tablet or hub.")
    String kind;

    @Option(
        names = "--event",
        required = true,
        paramLabel = "ID",
        description = "The event they serve (published first with `event publish`).")
    String event;

    @Option(
        names = "--name",
        paramLabel = "TEXT",
        description =
            "The name staff know it by, printed on its label; with --count, NAME 1, NAME 2..."
                + " Default: the id.")
    String name;

    @Option(
        names = "--count",
        paramLabel = "N",
        defaultValue = "1",
        description = "How many devices, 1 to 200. Default: ${DEFAULT-VALUE}.")
    int count;

    @Option(
        names = "--valid-hours",
        paramLabel = "H",
        description = "Hours the enrolment texts work, 1 to 720. Default: the server's (48).")
    Integer validHours;

    @Option(
        names = "--hub",
        paramLabel = "URL",
        description =
            "The hub the kiosks and tablets connect to on the day, tcp://HOST:PORT (printed on"
                + " the kit).")
    String hub;

    @Option(
        names = "--pin",
        paramLabel = "DIGITS",
        description = "Staff PIN of the devices, 4 to 8 digits (only its hash leaves the server).")
    String pin;

    @Mixin KitOptions kit;

    @Option(
        names = "--json",
        description = "Print the enrolments as JSON: [{\"id\":...,\"enrolment\":TEXT,...},...].")
    boolean json;

    @Override
    public Integer call() throws ProvisionException {
      ProvisionMain.Context context = ProvisionMain.context(spec);
      ObjectNode request = HttpJson.JSON.createObjectNode();
      DeviceKind deviceKind;
      try {
        deviceKind = DeviceKind.parse(kind);
      } catch (TrustException e) {
        throw ProvisionException.usage("--kind: " + e.getMessage());
      }
      request.put("kind", deviceKind.label());
      request.put("event", eventId(event));
      if (name != null) {
        String n = name.strip();
        if (n.isEmpty() || n.length() > MAX_NAME || n.chars().anyMatch(Character::isISOControl)) {
          throw ProvisionException.usage(
              "--name must be 1 to " + MAX_NAME + " characters on one line, e.g. \"Borne marché\"");
        }
        request.put("name", n);
      }
      if (count < 1 || count > 200) {
        throw ProvisionException.usage("--count [" + count + "] must be 1 to 200");
      }
      request.put("count", count);
      if (validHours != null) {
        if (validHours < 1 || validHours > 720) {
          throw ProvisionException.usage(
              "--valid-hours [" + validHours + "] must be 1 to 720 (30 days)");
        }
        request.put("validHours", validHours);
      }
      if (hub != null) {
        if (!HUB.matcher(hub.strip()).matches()) {
          throw ProvisionException.usage(
              "--hub [" + hub + "] must be tcp://HOST:PORT, e.g. tcp://192.168.1.10:1883");
        }
        request.put("hub", hub.strip());
      }
      if (pin != null) {
        if (!PIN.matcher(pin).matches()) {
          throw ProvisionException.usage("--pin must be 4 to 8 digits");
        }
        request.put("pin", pin);
      }
      kit.checkWritable();
      HttpJson client = server.client(context);
      String path = "/api/admin/devices";
      JsonNode answer = client.postJson(path, request);
      if (!answer.isArray() || answer.isEmpty()) {
        throw client.malformed("POST", path, "no list of devices");
      }
      List<KitDevice> devices = new ArrayList<>();
      for (JsonNode device : answer) {
        if (text(device, "id").isEmpty() || text(device, "enrolment").isEmpty()) {
          throw client.malformed("POST", path, "a device without id or enrolment");
        }
        devices.add(
            kitDevice(
                device,
                deviceKind,
                event,
                Optional.ofNullable(hub).map(String::strip),
                client,
                path));
      }
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      if (json) {
        out.println(json(answer));
      } else {
        Table table = new Table("ID", "NAME", "EXPIRES", "ENROLMENT");
        for (KitDevice d : devices) {
          table.row(
              d.id(), d.name(), WHEN.format(d.expiresAt().atZone(context.zone())), d.enrolment());
        }
        table.print(out, false);
        out.println(
            devices.size()
                + (devices.size() == 1 ? " device" : " devices")
                + " enrolled for "
                + event
                + ": each enrolment text works once, until it expires.");
      }
      out.flush();
      if (kit.kit != null) {
        kit.write(devices, context.zone(), err);
      }
      return 0;
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List the devices the server knows, with their state.")
  static final class ListDevices implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ServerOptions server;

    @Option(names = "--event", paramLabel = "ID", description = "Only the devices of this event.")
    String event;

    @Option(names = "--json", description = "Print the server's list as JSON.")
    boolean json;

    @Override
    public Integer call() throws ProvisionException {
      ProvisionMain.Context context = ProvisionMain.context(spec);
      String path = "/api/admin/devices" + (event == null ? "" : "?event=" + eventId(event));
      HttpJson client = server.client(context);
      JsonNode answer = client.get(path);
      if (!answer.isArray()) {
        throw client.malformed("GET", path, "no list of devices");
      }
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        out.println(json(answer));
        return 0;
      }
      Table table =
          new Table("ID", "NAME", "KIND", "EVENT", "STATE", "ENROLLED", "REVOKED AFTER", "NOTE");
      for (JsonNode d : answer) {
        String note =
            !text(d, "replacedBy").isEmpty()
                ? "replaced by " + text(d, "replacedBy")
                : !text(d, "replaces").isEmpty() ? "replaces " + text(d, "replaces") : "";
        table.row(
            text(d, "id"),
            text(d, "name"),
            text(d, "kind"),
            text(d, "event"),
            text(d, "state"),
            when(text(d, "enrolledAt"), context.zone()),
            when(text(d, "revokedAfter"), context.zone()),
            note);
      }
      if (table.isEmpty()) {
        out.println(
            "no device"
                + (event == null ? "" : " for " + event)
                + ": enrol some with `terrain provision device enrol`");
      } else {
        table.print(out, false);
      }
      return 0;
    }
  }

  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      description = {
        "Revoke a device: hubs and the server disconnect and refuse it, and refuse what it"
            + " signed after the time given (as received by a hub or the server, never by the"
            + " device's own clock)."
      })
  static final class Revoke implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ServerOptions server;

    @Parameters(paramLabel = "ID", description = "The device, e.g. kiosk-3f9a1c.")
    String id;

    @Option(
        names = "--after",
        paramLabel = "ISO-8601|now",
        defaultValue = "now",
        description =
            "Refuse what the device did after this time, e.g. 2026-11-28T14:30:00+01:00 (the"
                + " time it was stolen). Default: ${DEFAULT-VALUE}.")
    String after;

    @Override
    public Integer call() throws ProvisionException {
      String device = deviceId(id, "ID");
      ObjectNode request = HttpJson.JSON.createObjectNode();
      if (!after.strip().equalsIgnoreCase("now")) {
        request.put("after", instant(after).toString());
      }
      HttpJson client = server.client(ProvisionMain.context(spec));
      String path = "/api/admin/devices/" + device + "/revoke";
      JsonNode answer = client.postJson(path, request);
      String revokedAfter = text(answer, "revokedAfter");
      if (revokedAfter.isEmpty()) {
        throw client.malformed("POST", path, "no revokedAfter time");
      }
      spec.commandLine()
          .getOut()
          .println(
              device
                  + ": revoked after "
                  + revokedAfter
                  + "; hubs refuse it once they have the new config (check with `terrain"
                  + " provision preflight`)");
      return 0;
    }

    static Instant instant(String text) throws ProvisionException {
      String t = text.strip();
      try {
        return Instant.parse(t);
      } catch (DateTimeParseException e) {
        try {
          return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeException e2) {
          throw ProvisionException.usage(
              "--after ["
                  + text
                  + "] is not a time with its zone: write e.g. 2026-11-28T14:30:00+01:00,"
                  + " 2026-11-28T13:30:00Z or now");
        }
      }
    }
  }

  @Command(
      name = "roll",
      mixinStandardHelpOptions = true,
      description = {
        "Give a device a new enrolment text: enrolling with it gives the device new keys and a new"
            + " secret under the same id, keeping its history; what it signed with the old key"
            + " stays valid. For a lost kit, an expired text, a reinstalled device."
      })
  static final class Roll implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ServerOptions server;

    @Parameters(paramLabel = "ID", description = "The device, e.g. kiosk-3f9a1c.")
    String id;

    @Mixin KitOptions kit;

    @Option(
        names = "--json",
        description = "Print the new enrolment as JSON: {\"id\":...,\"enrolment\":TEXT,...}.")
    boolean json;

    @Override
    public Integer call() throws ProvisionException {
      ProvisionMain.Context context = ProvisionMain.context(spec);
      String device = deviceId(id, "ID");
      kit.checkWritable();
      HttpJson client = server.client(context);
      String path = "/api/admin/devices/" + device + "/roll";
      JsonNode answer = client.postJson(path, HttpJson.JSON.createObjectNode());
      if (text(answer, "enrolment").isEmpty()) {
        throw client.malformed("POST", path, "no enrolment text");
      }
      Optional<KitDevice> onKit = Optional.empty();
      if (kit.kit != null) {
        onKit = Optional.of(kitDevice(device, answer, client, path));
      }
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        out.println(json(answer));
      } else {
        out.println(
            device
                + ": new enrolment text, valid until "
                + when(text(answer, "expiresAt"), context.zone())
                + " (the previous one no longer works):");
        out.println(text(answer, "enrolment"));
      }
      out.flush();
      if (onKit.isPresent()) {
        kit.write(List.of(onKit.get()), context.zone(), spec.commandLine().getErr());
      }
      return 0;
    }

    /** The kit needs the device's kind, name and event: from the server's list. */
    private static KitDevice kitDevice(String device, JsonNode answer, HttpJson client, String path)
        throws ProvisionException {
      JsonNode known = HttpJson.JSON.createObjectNode();
      JsonNode list = client.get("/api/admin/devices");
      if (list.isArray()) {
        for (JsonNode d : list) {
          if (device.equals(text(d, "id"))) {
            known = d;
          }
        }
      }
      ObjectNode merged = ((ObjectNode) known.deepCopy()).setAll((ObjectNode) answer.deepCopy());
      DeviceKind kind;
      try {
        String k = text(known, "kind");
        kind = DeviceKind.parse(k.isEmpty() ? device.replaceAll("-.*", "") : k);
      } catch (TrustException e) {
        kind = DeviceKind.KIOSK;
      }
      String event = text(known, "event");
      Optional<String> hub = Optional.of(text(known, "hub")).filter(h -> !h.isEmpty());
      return DeviceCommand.kitDevice(
          merged, kind, event.isEmpty() ? "-" : event, hub, client, path);
    }
  }

  @Command(
      name = "replace",
      mixinStandardHelpOptions = true,
      description = {
        "Replace a broken or lost device by another of the same event and kind (enrolled or"
            + " waiting): OLD is revoked from now, NEW takes its name."
      })
  static final class Replace implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ServerOptions server;

    @Parameters(index = "0", paramLabel = "OLD", description = "The device taken out.")
    String old;

    @Parameters(index = "1", paramLabel = "NEW", description = "The device that takes its place.")
    String replacement;

    @Override
    public Integer call() throws ProvisionException {
      String from = deviceId(old, "OLD");
      String by = deviceId(replacement, "NEW");
      if (from.equals(by)) {
        throw ProvisionException.usage(
            "OLD and NEW are the same device: to give it new keys, use `terrain provision device"
                + " roll "
                + from
                + "`");
      }
      ObjectNode request = HttpJson.JSON.createObjectNode();
      request.put("by", by);
      HttpJson client = server.client(ProvisionMain.context(spec));
      client.postJson("/api/admin/devices/" + from + "/replace", request);
      spec.commandLine()
          .getOut()
          .println(
              from + ": replaced by " + by + ", which takes its name; " + from + " is revoked");
      return 0;
    }
  }
}
