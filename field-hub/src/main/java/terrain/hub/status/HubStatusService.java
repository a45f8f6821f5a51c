// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub.status;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.MessageFormat;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.ResourceBundle;
import java.util.TreeMap;
import terrain.core.record.DeviceId;
import terrain.core.text.PageLanguage;
import terrain.core.trust.Bundle;
import terrain.core.trust.DeviceKind;
import terrain.hub.ingest.DeviceIngest;
import terrain.hub.ingest.DevicePresence;
import terrain.hub.trust.HubTrust;
import terrain.hub.uplink.Uplink;
import terrain.store.RecordStore;
import terrain.store.RejectedRecords;
import terrain.store.StoreException;

/** Reads the hub's state for the status page and API. */
public final class HubStatusService {
  static final String MESSAGES = "terrain.hub.status.messages";

  /** The page's words as plain text (the page escapes them; JSON carries them as they are). */
  static final class Words {
    private final Locale locale;
    private final ResourceBundle bundle;

    Words(Locale locale) {
      this.locale = locale;
      this.bundle =
          ResourceBundle.getBundle(
              MESSAGES,
              locale,
              ResourceBundle.Control.getNoFallbackControl(
                  ResourceBundle.Control.FORMAT_PROPERTIES));
    }

    String format(String key, Object... args) {
      return new MessageFormat(bundle.getString(key), locale).format(args);
    }
  }

  private final DeviceId hubId;
  private final RecordStore store;
  private final Uplink uplink;
  private final DeviceIngest ingest;
  private final HubTrust trust;
  private final Path dataDir;
  private final Clock clock;
  private final HealthProbe health;
  private final RejectedRecords rejected;

  /**
   * @param trust the enrolled hub's trust, null for a development hub
   * @param dataDir the hub's data folder, whose disk's free space the preflight shows
   * @param health reads the machine's health for the status
   */
  public HubStatusService(
      DeviceId hubId,
      RecordStore store,
      Uplink uplink,
      DeviceIngest ingest,
      HubTrust trust,
      Path dataDir,
      Clock clock,
      HealthProbe health) {
    this.health = health;
    this.hubId = hubId;
    this.store = store;
    this.uplink = uplink;
    this.ingest = ingest;
    this.trust = trust;
    this.dataDir = dataDir;
    this.clock = clock;
    this.rejected = new RejectedRecords(store.database());
  }

  public HubStatus status() throws StoreException {
    boolean up = uplink.isUp();
    OptionalLong lastAck = uplink.lastAck();
    Map<DeviceId, DevicePresence.Presence> presence = ingest.presence().snapshot();
    Map<DeviceId, HubStatus.Device> devices = new TreeMap<>();
    Map<String, Long> pendingByDevice = new TreeMap<>();
    long pending = 0;
    for (RecordStore.DeviceProgress progress : store.devices()) {
      pendingByDevice.put(progress.device().value(), progress.pending());
      DevicePresence.Presence seen = presence.get(progress.device());
      devices.put(
          progress.device(),
          new HubStatus.Device(
              progress.device().value(),
              progress.upto(),
              progress.forwarded(),
              progress.lastSeen(),
              seen != null && seen.online()));
      pending += progress.pending();
    }
    presence.forEach(
        (device, seen) ->
            devices.computeIfAbsent(
                device, d -> new HubStatus.Device(d.value(), 0, 0, seen.since(), seen.online())));
    return new HubStatus(
        hubId.value(),
        up ? HubStatus.UP : HubStatus.DOWN,
        up ? null : uplink.problem(),
        pending,
        lastAck.isPresent() ? lastAck.getAsLong() : null,
        ingest.acceptedCount(),
        ingest.rejectedCount(),
        store.conflictCount(),
        uplink.recordsSent(),
        uplink.bytesSent(),
        new ArrayList<>(devices.values()),
        ingest.setAsideCount(),
        rejected.count(),
        health.read(pendingByDevice, lastAck));
  }

  /** The records quarantined here or upstream, newest first ({@code GET /api/rejected}). */
  public List<HubStatus.Rejected> rejected() throws StoreException {
    List<HubStatus.Rejected> out = new ArrayList<>();
    for (RecordStore.Rejected r : rejected.list(RejectedRecords.MAX_LIST)) {
      out.add(
          new HubStatus.Rejected(
              r.device().value(),
              r.seq(),
              r.reason(),
              Instant.ofEpochMilli(r.receivedTime()).toString(),
              r.kind().name(),
              r.eventId(),
              r.hop().value()));
    }
    return out;
  }

  public List<HubStatus.Conflict> conflicts() throws StoreException {
    List<HubStatus.Conflict> out = new ArrayList<>();
    for (RecordStore.Conflict c : store.conflicts()) {
      out.add(
          new HubStatus.Conflict(
              c.device().value(),
              c.seq(),
              c.kind().name(),
              c.eventId(),
              String.format("%016x", c.keptHash()),
              String.format("%016x", c.receivedHash()),
              c.receivedTime()));
    }
    return out;
  }

  /** The preflight table, its problems in {@code language}. */
  public Preflight preflight(PageLanguage language) throws StoreException {
    Words m = new Words(language.locale());
    long now = clock.millis();
    Map<DeviceId, DevicePresence.Presence> presence = ingest.presence().snapshot();
    Map<DeviceId, RecordStore.DeviceProgress> progress = new TreeMap<>();
    long pending = 0;
    for (RecordStore.DeviceProgress p : store.devices()) {
      progress.put(p.device(), p);
      pending += p.pending();
    }

    // Which devices: the signed list's kiosks and tablets, or every device seen in development.
    Map<DeviceId, Bundle.Entry> listed = new LinkedHashMap<>();
    Bundle bundle = trust == null ? null : trust.current().bundle();
    if (bundle != null) {
      for (Bundle.Entry e : bundle.devices()) {
        if (e.kind() != DeviceKind.HUB) {
          listed.put(e.id(), e);
        }
      }
    } else {
      progress.keySet().stream().filter(d -> !d.equals(hubId)).forEach(d -> listed.put(d, null));
      presence.keySet().forEach(d -> listed.putIfAbsent(d, null));
    }

    List<Preflight.Device> devices = new ArrayList<>();
    for (Map.Entry<DeviceId, Bundle.Entry> item : listed.entrySet()) {
      devices.add(
          device(
              item.getKey(),
              item.getValue(),
              presence.get(item.getKey()),
              progress.get(item.getKey()),
              now,
              m));
    }

    List<String> hubProblems = new ArrayList<>();
    boolean hubOk = true;
    boolean up = uplink.isUp();
    if (!up) {
      hubOk = false;
      hubProblems.add(m.format("preflight.problem.uplink", uplink.serverUri()));
    }
    Long diskFree = diskFree();
    if (diskFree != null && diskFree < Preflight.MIN_DISK_FREE_BYTES) {
      hubOk = false;
      hubProblems.add(m.format("preflight.problem.disk", diskFree / (1024 * 1024)));
    }
    if (trust == null) {
      hubProblems.add(m.format("preflight.problem.dev"));
    }
    Preflight.Hub hub =
        new Preflight.Hub(
            hubId.value(),
            trust != null,
            bundle == null ? null : bundle.eventId().value(),
            bundle == null ? null : bundle.sequence(),
            trust == null ? null : trust.current().sha256(),
            uplink.serverUri(),
            up,
            diskFree,
            pending,
            ingest.setAsideCount(),
            hubOk,
            hubProblems);
    return new Preflight(hub, devices);
  }

  private Preflight.Device device(
      DeviceId id,
      Bundle.Entry entry,
      DevicePresence.Presence seen,
      RecordStore.DeviceProgress progress,
      long now,
      Words m) {
    List<String> problems = new ArrayList<>();
    boolean ok = true;
    boolean online = seen != null && seen.online();
    long last =
        Math.max(progress == null ? 0 : progress.lastSeen(), seen == null ? 0 : seen.since());
    if (online) {
      last = now;
    }
    boolean revoked = entry != null && entry.revokedAt(now / 1000);
    if (revoked) {
      ok = false;
      problems.add(m.format("preflight.problem.revoked"));
    }
    if (last == 0) {
      ok = false;
      problems.add(m.format("preflight.problem.never"));
    } else if (now - last > Preflight.SILENT_MINUTES * 60_000L) {
      ok = false;
      problems.add(m.format("preflight.problem.silent", (now - last) / 60_000L));
    }
    DevicePresence.Report report = seen == null ? DevicePresence.Report.NONE : seen.report();
    Optional<Long> skewMillis = ingest.clockSkew().skewMillis(id);
    if (skewMillis.isEmpty() && report.time() != null && seen != null) {
      skewMillis = Optional.of(report.time() - seen.since());
    }
    Long skew = skewMillis.map(ms -> Math.round(ms / 1000.0)).orElse(null);
    if (skew != null && Math.abs(skew) > Preflight.MAX_SKEW_SECONDS) {
      ok = false;
      problems.add(
          m.format(
              skew > 0 ? "preflight.problem.ahead" : "preflight.problem.behind", Math.abs(skew)));
    }
    if (report.bundleSequence() == null) {
      problems.add(m.format("preflight.problem.bundle"));
    }
    if (report.printer() == null && (entry == null || entry.kind() == DeviceKind.KIOSK)) {
      problems.add(m.format("preflight.problem.printer"));
    }
    if (report.printer() != null && report.printer().startsWith("escpos: paper-out")) {
      ok = false;
      problems.add(m.format("preflight.problem.paperOut"));
    }
    return new Preflight.Device(
        id.value(),
        entry == null ? id.value() : entry.name(),
        entry == null ? null : entry.kind().label(),
        report.bundleSequence(),
        report.bundleSha256(),
        skew,
        report.printer(),
        last == 0 ? null : Instant.ofEpochMilli(last).toString(),
        online,
        revoked,
        progress == null ? 0 : progress.pending(),
        report.diskFreeBytes(),
        report.battery(),
        ok,
        problems);
  }

  private Long diskFree() {
    try {
      Path existing = dataDir;
      while (existing != null && !Files.exists(existing)) {
        existing = existing.getParent();
      }
      return existing == null ? null : Files.getFileStore(existing).getUsableSpace();
    } catch (IOException e) {
      return null;
    }
  }
}
