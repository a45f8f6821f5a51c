// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.dist.bench;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import terrain.core.id.EventId;
import terrain.core.record.DeviceId;
import terrain.core.ticket.DeviceKeys;
import terrain.core.ticket.SignedTicket;
import terrain.core.ticket.Ticket;
import terrain.core.ticket.TicketCodec;
import terrain.hardware.printer.EscPosRaster;
import terrain.hardware.printer.TicketImages;
import terrain.hardware.printer.TicketPdf;
import terrain.hardware.printer.TicketPrint;

/**
 * How long a kiosk takes to sign a ticket and render it for printing (PDF, and ESC/POS raster for a
 * thermal printer), then claims per second on a real server over HTTP ({@link ClaimBench}).
 */
@Command(
    name = "tickets",
    mixinStandardHelpOptions = true,
    description =
        "Time to sign and render a ticket (PDF; ESC/POS raster), then claims per second over"
            + " HTTP with concurrent clients and a check of the books.")
final class TicketBench implements Callable<Integer> {
  /** The offered load the p99 goal is set on; a run at another rate is marked as such. */
  static final int GOAL_RATE = 1_000;

  /** The claims, clients and warm-up the closed-loop goal is measured with. */
  static final int GOAL_CLAIMS = 20_000;

  static final int GOAL_CLIENTS = 100;

  /**
   * Long enough for the server's C2 compiler to have compiled the claim path (decision 0068): with
   * 5,000 it still took a quarter of the machine during the measured claims.
   */
  static final int GOAL_WARMUP = 60_000;

  @Option(names = "--count", description = "Tickets measured (default: ${DEFAULT-VALUE}).")
  int count = 1000;

  @Option(
      names = "--claims",
      description = "Claims measured, each a distinct ticket (default: ${DEFAULT-VALUE}).")
  int claims = GOAL_CLAIMS;

  @Option(
      names = "--clients",
      description = "Concurrent claim clients (default: ${DEFAULT-VALUE}).")
  int clients = GOAL_CLIENTS;

  @Option(names = "--warmup", description = "Claims before measuring (default: ${DEFAULT-VALUE}).")
  int warmup = GOAL_WARMUP;

  @Option(
      names = "--rate",
      description =
          "Offered load of the second phase, claims/s from all clients together: latency measured"
              + " from each claim's scheduled time (0: skip). Default: ${DEFAULT-VALUE}.")
  int rate = GOAL_RATE;

  @Option(
      names = "--servers",
      paramLabel = "N",
      description =
          "Server instances (default: ${DEFAULT-VALUE}). Above 1 they share one PostgreSQL"
              + " (--db) and one MQTT broker (--broker) in an ingest group of their own; the"
              + " clients take the servers in turn.")
  int servers = 1;

  @Option(
      names = "--db",
      paramLabel = "JDBC_URL",
      description =
          "The servers' PostgreSQL, jdbc:postgresql://HOST:5432/DB?user=USER; the bench works in"
              + " a schema of its own, dropped at the end. Default: with --servers above 1, "
              + ServerFleet.LOCAL_DB
              + "; else embedded Derby in the scratch folder.")
  String db;

  @Option(
      names = "--broker",
      paramLabel = "tcp://HOST:PORT",
      description =
          "External MQTT broker the servers share (e.g. Mosquitto). Default: with --servers"
              + " above 1, "
              + ServerFleet.LOCAL_BROKER
              + "; else the server's embedded broker.")
  String broker;

  @Option(
      names = "--data",
      description = "Scratch folder, emptied first (default: ${DEFAULT-VALUE}).")
  Path data = Path.of(".terrain", "bench-tickets");

  @Option(
      names = "--synced",
      description =
          "Send the tickets' records to the server first (over MQTT, as a hub), the usual case;"
              + " without it each QR code is claimed before its kiosk synced.")
  boolean synced;

  @Option(
      names = "--http-threads",
      description = "The server's HTTP threads (default: the server's own, 16).")
  int httpThreads;

  @Option(
      names = "--busy",
      paramLabel = "N",
      description =
          "Claims measured beside N threads of another process spinning at the default priority:"
              + " a busy machine that is the same from run to run (1 is half of a 2-core"
              + " machine). Figures named ...busyN.*. Default: ${DEFAULT-VALUE}.")
  int busy;

  @Option(names = "--no-claims", description = "Only sign + render.")
  boolean noClaims;

  @Option(
      names = "--jfr",
      description =
          "Record the server with Java Flight Recorder into DATA/jfr/server.jfr (read with jfr"
              + " print --events jdk.ExecutionSample).")
  boolean jfr;

  @Override
  public Integer call() throws Exception {
    if (busy < 0) {
      System.err.println("--busy is a number of threads, 0 or more, not " + busy);
      return 2;
    }
    ServerFleet.Setup setup;
    try {
      setup = ServerFleet.Setup.of(servers, db, broker);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      return 2;
    }
    // A run on PostgreSQL and an external broker is another setup: its figures are named apart.
    Figures figures =
        new Figures(
            setup.shared() ? "tickets-servers" + servers : "tickets", java.time.Clock.systemUTC());
    figures.settingUnless("--rate", rate, GOAL_RATE);
    // These change the closed loop's figures (a longer warm-up lets the compiler finish).
    figures.settingUnless("--claims", claims, GOAL_CLAIMS);
    figures.settingUnless("--clients", clients, GOAL_CLIENTS);
    figures.settingUnless("--warmup", warmup, GOAL_WARMUP);
    if (httpThreads != 0) {
      figures.setting("--http-threads " + httpThreads);
    }
    if (jfr) {
      figures.setting("--jfr");
    }
    DeviceKeys keys = DeviceKeys.generate(new SecureRandom());
    DeviceId device = DeviceId.of("kiosk-bench");
    TicketPdf pdf = new TicketPdf();
    EscPosRaster escPos = new EscPosRaster(new TicketImages(pdf));
    long now = System.currentTimeMillis() / 1000;
    long[] signPdf = new long[count];
    long[] signEscPos = new long[Math.max(1, count / 4)];
    for (int i = -100; i < count; i++) { // 100 warm-up tickets
      long start = System.nanoTime();
      TicketPrint print = print(keys, device, i + 1000L, now);
      pdf.single(print);
      if (i >= 0) {
        signPdf[i] = System.nanoTime() - start;
      }
    }
    for (int i = -20; i < signEscPos.length; i++) {
      long start = System.nanoTime();
      TicketPrint print = print(keys, device, i + 100_000L, now);
      escPos.print(print);
      if (i >= 0) {
        signEscPos[i] = System.nanoTime() - start;
      }
    }
    Arrays.sort(signPdf);
    Arrays.sort(signEscPos);
    System.out.printf(
        "sign + PDF (80 mm ticket):        p50 %6.2f ms  p99 %6.2f ms  (%d tickets; target p50 <= 30 ms)%n",
        BenchMain.percentile(signPdf, 50), BenchMain.percentile(signPdf, 99), count);
    System.out.printf(
        "sign + ESC/POS raster (203 dpi):  p50 %6.2f ms  p99 %6.2f ms  (%d tickets)%n",
        BenchMain.percentile(signEscPos, 50),
        BenchMain.percentile(signEscPos, 99),
        signEscPos.length);
    System.out.println(
        Runtime.getRuntime().availableProcessors() + " cores, " + BenchMain.machineLoad());
    figures.add("tickets.sign_pdf_p50_ms", BenchMain.percentile(signPdf, 50), "ms");
    verifyCost(keys, device, now, figures);
    Path root = Path.of(System.getenv().getOrDefault("TERRAIN_HOME", "."));
    if (noClaims) {
      figures.write(root);
      return 0;
    }
    boolean ok =
        new ClaimBench(
                clients, claims, warmup, setup, data, rate, figures, synced, httpThreads, jfr, busy)
            .run();
    System.out.println("at the end: " + BenchMain.machineLoad());
    figures.write(root);
    return ok ? 0 : 1;
  }

  /**
   * What one signature check costs the server (its part of a claim): the JDK's Ed25519 ({@link
   * TicketCodec#verify}, the reference) and Bouncy Castle's on a key decoded once, as {@code
   * Claims} does; the mean of a loop after a warm-up, in this thread's processor time (which a busy
   * machine does not inflate as it does the wall clock).
   */
  private static void verifyCost(DeviceKeys keys, DeviceId device, long now, Figures figures) {
    SignedTicket[] tickets = new SignedTicket[256];
    for (int i = 0; i < tickets.length; i++) {
      tickets[i] =
          TicketCodec.sign(
              Ticket.of(device, i + 1L, EventId.of("verify"), "response", 2, now, 180, false),
              keys.privateKey());
    }
    Ed25519.PublicPoint point = Ed25519.validatePublicKeyFullExport(keys.publicKeyRaw(), 0);
    java.lang.management.ThreadMXBean cpu =
        java.lang.management.ManagementFactory.getThreadMXBean();
    int rounds = 2_000;
    double jdk = 0;
    double bc = 0;
    for (int pass = 0; pass < 2; pass++) { // the first pass warms the compiler up
      long start = cpu.getCurrentThreadCpuTime();
      int ok = 0;
      for (int i = 0; i < rounds; i++) {
        ok += TicketCodec.verify(tickets[i % tickets.length], keys.publicKey()) ? 1 : 0;
      }
      jdk = (cpu.getCurrentThreadCpuTime() - start) / 1e3 / rounds;
      start = cpu.getCurrentThreadCpuTime();
      for (int i = 0; i < rounds; i++) {
        SignedTicket t = tickets[i % tickets.length];
        byte[] message = TicketCodec.signedMessage(t);
        ok += Ed25519.verify(t.signature(), 0, point, message, 0, message.length) ? 1 : 0;
      }
      bc = (cpu.getCurrentThreadCpuTime() - start) / 1e3 / rounds;
      if (ok != 2 * rounds) {
        throw new IllegalStateException("a genuine ticket did not verify");
      }
    }
    System.out.printf(
        "verify one ticket's signature (processor time): JDK Ed25519 %.0f us, Bouncy Castle (key"
            + " decoded once, the server's) %.0f us%n",
        jdk, bc);
    figures.add("tickets.verify_jdk_us", jdk, "us");
    figures.add("tickets.verify_bc_us", bc, "us");
  }

  private static TicketPrint print(DeviceKeys keys, DeviceId device, long serial, long now) {
    Ticket ticket =
        Ticket.of(device, serial, EventId.of("marche-2026-11-28"), "response", 2, now, 180, false);
    SignedTicket signed = TicketCodec.sign(ticket, keys.privateKey());
    return TicketPrint.of(
        signed,
        "Marché Saint-Michel : votre avis compte",
        "briqs.example.fr",
        ZoneId.of("Europe/Paris"),
        Locale.FRENCH);
  }
}
