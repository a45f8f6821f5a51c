// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub.panel;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.MessageFormat;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;
import terrain.core.record.Record;
import terrain.hardware.printer.PrintResult;
import terrain.hardware.printer.Slip;
import terrain.hardware.printer.TicketPrinter;
import terrain.hub.status.HubStatus;
import terrain.hub.status.HubStatusService;
import terrain.store.RecordStore;
import terrain.store.StoreException;

/**
 * The slips the hub prints for staff: its status (button press, {@code POST /api/slips/status}) and
 * the close of day ({@code POST /api/slips/day}), in French unless told otherwise.
 *
 * <p>The close-of-day hash is SHA-256 over the day's records in (device, seq) order, each as its
 * device id (UTF-8, then a 0 byte), its seq (8 bytes big-endian), its kind code (1 byte), its event
 * id (UTF-8, then 0), its body length (4 bytes) and its body: the server, or anyone holding the
 * same records, computes the same hash.
 */
public final class SlipDesk {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SlipDesk.class);
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

  private final String hubId;
  private final String eventId;
  private final HubStatusService status;
  private final RecordStore store;
  private final java.nio.file.Path dataDir;
  private final TicketPrinter printer;
  private final Clock clock;

  /**
   * @param eventId the enrolled hub's event, null on a development hub
   * @param printer where slips print, null when the hub has none
   */
  public SlipDesk(
      String hubId,
      String eventId,
      HubStatusService status,
      RecordStore store,
      java.nio.file.Path dataDir,
      TicketPrinter printer,
      Clock clock) {
    this.hubId = hubId;
    this.eventId = eventId;
    this.status = status;
    this.store = store;
    this.dataDir = dataDir;
    this.printer = printer;
    this.clock = clock;
  }

  /** Whether a printer is configured. */
  public boolean hasPrinter() {
    return printer != null;
  }

  /** Prints {@code slip}; {@link PrintResult.CannotWrite} when the hub has no printer. */
  public PrintResult print(Slip slip) {
    if (printer == null) {
      return new PrintResult.CannotWrite(
          "(none)", "the hub has no printer: start it with --printer URI to print slips");
    }
    return printer.printSlip(slip);
  }

  /** Prints the status slip in French, as the button does; the outcome goes to the log. */
  public PrintResult printStatus() {
    PrintResult result;
    try {
      result = print(statusSlip(Locale.FRENCH));
    } catch (StoreException e) {
      result = new PrintResult.CannotWrite("(status slip)", e.getMessage());
    }
    if (result instanceof PrintResult.Printed) {
      log.info("Status slip printed: {}", result);
    } else {
      log.warn("Status slip not printed: {}", result);
    }
    return result;
  }

  /** The status slip now. */
  public Slip statusSlip(Locale locale) throws StoreException {
    Words w = new Words(locale);
    HubStatus now = status.status();
    ZonedDateTime time = ZonedDateTime.now(clock);
    List<String> lines = new ArrayList<>();
    lines.add(eventId == null ? w.get("status.noEvent") : w.get("status.event", eventId));
    lines.add(
        now.uplinkUp()
            ? w.get("status.uplinkUp")
            : w.get("status.uplinkDown", String.valueOf(now.uplinkProblem())));
    lines.add(
        now.lastAck() == null
            ? w.get("status.noAck")
            : w.get("status.lastAck", local(now.lastAck())));
    lines.add(w.get("status.pending", now.pending()));
    for (HubStatus.Device device : now.devices()) {
      lines.add(w.get("status.device", device.id(), device.committed(), device.pending()));
    }
    Disk.of(dataDir)
        .ifPresent(
            d -> lines.add(w.get("status.disk", d.usedPercent(), d.freeBytes() / (1024 * 1024))));
    lines.add(w.get("status.clock", time.toOffsetDateTime().withNano(0).toString()));
    return new Slip("status-" + STAMP.format(time), w.get("status.title", hubId), lines);
  }

  /** The close-of-day slip of the hub's local day now. */
  public Slip daySlip(Locale locale) throws StoreException {
    Words w = new Words(locale);
    LocalDate today = LocalDate.now(clock);
    long from = today.atStartOfDay(clock.getZone()).toInstant().toEpochMilli();
    long to = today.plusDays(1).atStartOfDay(clock.getZone()).toInstant().toEpochMilli();
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
    List<RecordStore.DayCount> counts = store.forEachRecord(from, to, r -> digest(sha256, r));
    List<String> lines = new ArrayList<>();
    long records = 0;
    long pending = 0;
    for (RecordStore.DayCount count : counts) {
      lines.add(w.get("day.device", count.device().value(), count.records(), count.pending()));
      records += count.records();
      pending += count.pending();
    }
    lines.add(w.get("day.total", records, pending));
    lines.add("");
    lines.add(w.get("day.hash"));
    String hash = HexFormat.of().formatHex(sha256.digest());
    lines.add(hash.substring(0, 32));
    lines.add(hash.substring(32));
    lines.add("");
    lines.add(w.get("day.printed", ZonedDateTime.now(clock).toOffsetDateTime().withNano(0)));
    return new Slip(
        "day-" + today.toString().replace("-", ""), w.get("day.title", hubId, today), lines);
  }

  /** Feeds one record to the day's hash, as the class comment says. */
  static void digest(MessageDigest sha256, Record record) {
    sha256.update(record.device().value().getBytes(StandardCharsets.UTF_8));
    sha256.update((byte) 0);
    sha256.update(ByteBuffer.allocate(8).putLong(record.seq()).array());
    sha256.update((byte) record.kind().code());
    sha256.update(record.eventId().getBytes(StandardCharsets.UTF_8));
    sha256.update((byte) 0);
    sha256.update(ByteBuffer.allocate(4).putInt(record.body().length).array());
    sha256.update(record.body());
  }

  private String local(long epochMillis) {
    return Instant.ofEpochMilli(epochMillis)
        .atZone(clock.getZone())
        .toOffsetDateTime()
        .withNano(0)
        .toString();
  }

  private static final class Words {
    private final Locale locale;
    private final ResourceBundle bundle;

    Words(Locale locale) {
      this.locale = "en".equals(locale.getLanguage()) ? Locale.ENGLISH : Locale.FRENCH;
      this.bundle =
          ResourceBundle.getBundle(
              "terrain.hub.panel.slips",
              this.locale,
              ResourceBundle.Control.getNoFallbackControl(
                  ResourceBundle.Control.FORMAT_PROPERTIES));
    }

    String get(String key, Object... args) {
      return new MessageFormat(bundle.getString(key), locale).format(args);
    }
  }
}
