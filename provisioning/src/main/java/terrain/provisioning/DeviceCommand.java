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

  /** The kit: where it is written; its language is {@code --lang}'s, French by default. */
  static final class KitOptions {
    @Option(names = "--kit", paramLabel = "FILE.pdf", descriptionKey = "kit")
    Path kit;

    /** Refuses a kit path that cannot be written, before anything is asked of the server. */
    void checkWritable(Texts texts) throws ProvisionException {
      if (kit == null) {
        return;
      }
      if (!kit.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".pdf")) {
        throw ProvisionException.usage(texts.get("kit.notPdf", kit));
      }
      Path dir = kit.toAbsolutePath().getParent();
      if (dir == null || !Files.isDirectory(dir) || !Files.isWritable(dir)) {
        throw ProvisionException.usage(texts.get("kit.noFolder", kit, dir));
      }
      if (Files.isDirectory(kit)) {
        throw ProvisionException.usage(texts.get("kit.isFolder", kit));
      }
    }

    /** Writes the kit, whole or not at all, in the language of {@code spec}'s run. */
    void write(List<KitDevice> devices, CommandSpec spec) throws ProvisionException {
      Texts texts = ProvisionMain.texts(spec);
      PrintWriter err = spec.commandLine().getErr();
      ZoneId zone = ProvisionMain.context(spec).zone();
      byte[] pdf = new KitPdf(ProvisionMain.kitLocale(spec), zone).render(devices);
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
            ProvisionException.REFUSED, texts.get("kit.notWritten", kit, e.getMessage(), ids), e);
      }
      int pages = (devices.size() + KitPdf.PER_PAGE - 1) / KitPdf.PER_PAGE;
      err.println(texts.get("kit.written", kit, devices.size(), pages));
    }
  }

  static String deviceId(String text, String what, Texts texts) throws ProvisionException {
    try {
      String id = DeviceId.of(text.strip()).value();
      if (id.chars().allMatch(c -> c == '.')) {
        throw new IllegalArgumentException("dots only");
      }
      return id;
    } catch (IllegalArgumentException e) {
      throw ProvisionException.usage(texts.get("device.badId", what, text));
    }
  }

  static String eventId(String text, Texts texts) throws ProvisionException {
    if (!EventId.isValid(text)) {
      throw ProvisionException.usage(texts.get("device.badEvent", text));
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
      throw client.malformed("POST", path, "malformed.badEnrolment");
    }
    Instant expires;
    try {
      expires = Instant.parse(text(device, "expiresAt"));
    } catch (DateTimeParseException e) {
      throw client.malformed("POST", path, "malformed.noExpiry", id);
    }
    String name = text(device, "name");
    return new KitDevice(id, kind, name.isEmpty() ? id : name, event, enrolment, expires, hub);
  }

  @Command(name = "enrol", mixinStandardHelpOptions = true, sortOptions = false)
  static final class Enrol implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ServerOptions server;

    @Option(names = "--kind", required = true, paramLabel = "KIND", descriptionKey = "kind")
    String kind;

    @Option(names = "--event", required = true, paramLabel = "ID", descriptionKey = "enrolEvent")
    String event;

    @Option(names = "--name", paramLabel = "TEXT", descriptionKey = "name")
    String name;

    @Option(names = "--count", paramLabel = "N", defaultValue = "1", descriptionKey = "count")
    int count;

    @Option(names = "--valid-hours", paramLabel = "H", descriptionKey = "valid-hours")
    Integer validHours;

    @Option(names = "--hub", paramLabel = "URL", descriptionKey = "enrolHub")
    String hub;

    @Option(names = "--pin", paramLabel = "DIGITS", descriptionKey = "pin")
    String pin;

    @Mixin KitOptions kit;

    @Option(names = "--json", descriptionKey = "enrolJson")
    boolean json;

    @Override
    public Integer call() throws ProvisionException {
      ProvisionMain.Context context = ProvisionMain.context(spec);
      Texts texts = ProvisionMain.texts(spec);
      ObjectNode request = HttpJson.JSON.createObjectNode();
      DeviceKind deviceKind;
      try {
        deviceKind = DeviceKind.parse(kind);
      } catch (TrustException e) {
        throw ProvisionException.usage(texts.get("device.badKind", kind));
      }
      request.put("kind", deviceKind.label());
      request.put("event", eventId(event, texts));
      if (name != null) {
        String n = name.strip();
        if (n.isEmpty() || n.length() > MAX_NAME || n.chars().anyMatch(Character::isISOControl)) {
          throw ProvisionException.usage(texts.get("device.badName", MAX_NAME));
        }
        request.put("name", n);
      }
      if (count < 1 || count > 200) {
        throw ProvisionException.usage(texts.get("device.badCount", count));
      }
      request.put("count", count);
      if (validHours != null) {
        if (validHours < 1 || validHours > 720) {
          throw ProvisionException.usage(texts.get("device.badHours", validHours));
        }
        request.put("validHours", validHours);
      }
      if (hub != null) {
        if (!HUB.matcher(hub.strip()).matches()) {
          throw ProvisionException.usage(texts.get("device.badHub", hub));
        }
        request.put("hub", hub.strip());
      }
      if (pin != null) {
        if (!PIN.matcher(pin).matches()) {
          throw ProvisionException.usage(texts.get("device.badPin"));
        }
        request.put("pin", pin);
      }
      kit.checkWritable(texts);
      HttpJson client = server.client(spec);
      String path = "/api/admin/devices";
      JsonNode answer = client.postJson(path, request);
      if (!answer.isArray() || answer.isEmpty()) {
        throw client.malformed("POST", path, "malformed.noDevices");
      }
      List<KitDevice> devices = new ArrayList<>();
      for (JsonNode device : answer) {
        if (text(device, "id").isEmpty() || text(device, "enrolment").isEmpty()) {
          throw client.malformed("POST", path, "malformed.deviceWithout");
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
        Table table = new Table(texts.get("device.enrolHeader").split(" *\\| *"));
        for (KitDevice d : devices) {
          table.row(
              d.id(), d.name(), WHEN.format(d.expiresAt().atZone(context.zone())), d.enrolment());
        }
        table.print(out, false);
        out.println(texts.get("device.enrolled", devices.size(), event));
      }
      out.flush();
      if (kit.kit != null) {
        kit.write(devices, spec);
      }
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true)
  static final class ListDevices implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ServerOptions server;

    @Option(names = "--event", paramLabel = "ID", descriptionKey = "listEvent")
    String event;

    @Option(names = "--json", descriptionKey = "listJson")
    boolean json;

    @Override
    public Integer call() throws ProvisionException {
      ProvisionMain.Context context = ProvisionMain.context(spec);
      Texts texts = ProvisionMain.texts(spec);
      String path = "/api/admin/devices" + (event == null ? "" : "?event=" + eventId(event, texts));
      HttpJson client = server.client(spec);
      JsonNode answer = client.get(path);
      if (!answer.isArray()) {
        throw client.malformed("GET", path, "malformed.noDevices");
      }
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        out.println(json(answer));
        return 0;
      }
      Table table = new Table(texts.get("device.listHeader").split(" *\\| *"));
      for (JsonNode d : answer) {
        String note =
            !text(d, "replacedBy").isEmpty()
                ? texts.get("device.replacedBy", text(d, "replacedBy"))
                : !text(d, "replaces").isEmpty()
                    ? texts.get("device.replaces", text(d, "replaces"))
                    : "";
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
        out.println(event == null ? texts.get("device.none") : texts.get("device.noneFor", event));
      } else {
        table.print(out, false);
      }
      return 0;
    }
  }

  @Command(name = "revoke", mixinStandardHelpOptions = true)
  static final class Revoke implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ServerOptions server;

    @Parameters(paramLabel = "ID", descriptionKey = "deviceId")
    String id;

    @Option(
        names = "--after",
        paramLabel = "ISO-8601|now",
        defaultValue = "now",
        descriptionKey = "after")
    String after;

    @Override
    public Integer call() throws ProvisionException {
      Texts texts = ProvisionMain.texts(spec);
      String device = deviceId(id, "ID", texts);
      ObjectNode request = HttpJson.JSON.createObjectNode();
      if (!after.strip().equalsIgnoreCase("now")) {
        request.put("after", instant(after, texts).toString());
      }
      HttpJson client = server.client(spec);
      String path = "/api/admin/devices/" + device + "/revoke";
      JsonNode answer = client.postJson(path, request);
      String revokedAfter = text(answer, "revokedAfter");
      if (revokedAfter.isEmpty()) {
        throw client.malformed("POST", path, "malformed.noRevokedAfter");
      }
      spec.commandLine().getOut().println(texts.get("device.revoked", device, revokedAfter));
      return 0;
    }

    static Instant instant(String text, Texts texts) throws ProvisionException {
      String t = text.strip();
      try {
        return Instant.parse(t);
      } catch (DateTimeParseException e) {
        try {
          return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeException e2) {
          throw ProvisionException.usage(texts.get("device.badAfter", text));
        }
      }
    }
  }

  @Command(name = "roll", mixinStandardHelpOptions = true)
  static final class Roll implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ServerOptions server;

    @Parameters(paramLabel = "ID", descriptionKey = "deviceId")
    String id;

    @Mixin KitOptions kit;

    @Option(names = "--json", descriptionKey = "rollJson")
    boolean json;

    @Override
    public Integer call() throws ProvisionException {
      ProvisionMain.Context context = ProvisionMain.context(spec);
      Texts texts = ProvisionMain.texts(spec);
      String device = deviceId(id, "ID", texts);
      kit.checkWritable(texts);
      HttpJson client = server.client(spec);
      String path = "/api/admin/devices/" + device + "/roll";
      JsonNode answer = client.postJson(path, HttpJson.JSON.createObjectNode());
      if (text(answer, "enrolment").isEmpty()) {
        throw client.malformed("POST", path, "malformed.noEnrolment");
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
            texts.get("device.rolled", device, when(text(answer, "expiresAt"), context.zone())));
        out.println(text(answer, "enrolment"));
      }
      out.flush();
      if (onKit.isPresent()) {
        kit.write(List.of(onKit.get()), spec);
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

  @Command(name = "replace", mixinStandardHelpOptions = true)
  static final class Replace implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ServerOptions server;

    @Parameters(index = "0", paramLabel = "OLD", descriptionKey = "old")
    String old;

    @Parameters(index = "1", paramLabel = "NEW", descriptionKey = "new")
    String replacement;

    @Override
    public Integer call() throws ProvisionException {
      Texts texts = ProvisionMain.texts(spec);
      String from = deviceId(old, "OLD", texts);
      String by = deviceId(replacement, "NEW", texts);
      if (from.equals(by)) {
        throw ProvisionException.usage(texts.get("device.sameDevice", from));
      }
      ObjectNode request = HttpJson.JSON.createObjectNode();
      request.put("by", by);
      HttpJson client = server.client(spec);
      client.postJson("/api/admin/devices/" + from + "/replace", request);
      spec.commandLine().getOut().println(texts.get("device.replaced", from, by));
      return 0;
    }
  }
}
