// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.ChecksumException;
import com.google.zxing.DecodeHintType;
import com.google.zxing.FormatException;
import com.google.zxing.LuminanceSource;
import com.google.zxing.NotFoundException;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import java.awt.image.BufferedImage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import terrain.core.event.EventLoader;
import terrain.core.record.Record;
import terrain.core.record.RecordKind;
import terrain.core.ticket.SignedTicket;
import terrain.core.ticket.TicketCodec;
import terrain.core.ticket.TicketRecord;
import terrain.dist.proc.Child;
import terrain.dist.proc.Commands;
import terrain.dist.proc.Json;
import terrain.dist.proc.Ports;
import terrain.store.Database;
import terrain.store.RecordStore;

/**
 * The life of a briq ticket, with real processes: two simulated kiosks print their tickets as PDFs
 * while the sync server is down; once the server is up and the hub has sent everything, each PDF is
 * rendered to an image, its QR code decoded back and claimed over HTTP like a phone would. Then the
 * claim page is opened in a real headless browser on a phone-sized screen.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TicketClaimIT {
  private static final int KIOSKS = 2;
  private static final int PER_KIOSK = 15;
  private static final Duration START = Duration.ofSeconds(90);
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Json json = new Json();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private Path dir;
  private Apps apps;
  private String base;
  private String eventId;

  /** The decoded QR text of each printed PDF, by file name. */
  private final Map<String, String> printed = new HashMap<>();

  /** The tickets the kiosks recorded in their own databases, by code. */
  private final Map<String, SignedTicket> recorded = new HashMap<>();

  @BeforeAll
  void marketDayWithTicketsThenServer() throws Exception {
    dir = Files.createTempDirectory("terrain-tickets-it");
    Path eventFile = Apps.root().resolve("examples/events/market-day.yaml");
    eventId = EventLoader.load(eventFile).id();
    int serverHttp = Ports.free();
    int serverMqtt = Ports.free();
    int hubMqtt = Ports.free();
    int hubHttp = Ports.free();
    base = "http://127.0.0.1:" + serverHttp;
    String hubStatus = "http://127.0.0.1:" + hubHttp + "/api/status";
    apps = new Apps(dir.resolve("logs"));

    Child hub =
        apps.start(
            "hub",
            Commands.hub(
                dir.resolve("hub"),
                hubMqtt,
                hubHttp,
                "tcp://127.0.0.1:" + serverMqtt,
                "hub-tickets-" + UUID.randomUUID().toString().substring(0, 8)));
    Apps.await(hub, Apps.HTTP_LISTENING, START);

    // The kiosks print offline: the server does not exist yet.
    Path pdfs = dir.resolve("tickets");
    Child kiosks =
        apps.start(
            "kiosks",
            Commands.simulate(
                hubMqtt,
                eventFile,
                KIOSKS,
                KIOSKS * PER_KIOSK,
                dir.resolve("kiosks"),
                "--seed",
                "7",
                "--tickets",
                pdfs.toString(),
                "--claim-host",
                "127.0.0.1:" + serverHttp));
    assertEquals(0, kiosks.waitFor(Duration.ofSeconds(180)), "simulate exit code");
    int total = KIOSKS * PER_KIOSK;
    assertEquals("acked " + total + " of " + total, kiosks.lastLine().trim());
    readKioskTickets();

    Child server =
        apps.start(
            "server",
            Apps.serverStartedCold(
                dir,
                serverHttp,
                serverMqtt,
                "--claims-per-minute",
                "100000",
                "--event",
                eventFile.toString()));
    Apps.await(server, Apps.HTTP_LISTENING, START);
    json.await(hubStatus, s -> s.path("uplink").asText().equals("up"), Duration.ofSeconds(60));
    json.await(hubStatus, s -> s.path("pending").asLong() == 0, Duration.ofSeconds(120));

    List<Path> files;
    try (var list = Files.list(pdfs)) {
      files = list.filter(p -> p.toString().endsWith(".pdf")).sorted().toList();
    }
    assertEquals(recorded.size(), files.size(), "one PDF per ticket recorded: " + files);
    for (Path pdf : files) {
      printed.put(pdf.getFileName().toString(), decodeQr(pdf));
    }
  }

  @AfterAll
  void stop() throws Exception {
    if (apps != null) {
      apps.close();
    }
  }

  @Test
  void claim_whenEveryPrintedTicketIsScanned_walletHoldsTheirSumAndSecondClaimIsRefused()
      throws Exception {
    String token = newWallet();
    List<String> urls = new ArrayList<>(printed.values());
    // Keep two tickets for the concurrency and browser tests.
    List<String> mine = urls.subList(2, urls.size());
    int expected = 0;
    Set<String> codes = new HashSet<>();
    for (String url : mine) {
      assertTrue(url.startsWith("HTTPS://127.0.0.1:"), url);
      SignedTicket ticket = TicketCodec.parse(url);
      assertTrue(codes.add(ticket.code()), "two PDFs with one code: " + url);
      SignedTicket inKiosk = recorded.get(ticket.code());
      assertTrue(inKiosk != null, "the printed code is a ticket a kiosk recorded: " + url);
      HttpResponse<String> claim = claim(token, url);
      assertEquals(201, claim.statusCode(), claim.body());
      assertEquals(inKiosk.ticket().briqs(), MAPPER.readTree(claim.body()).path("briqs").asInt());
      expected += inKiosk.ticket().briqs();
    }
    JsonNode me = walletMe(token);
    assertEquals(expected, me.path("balance").asInt(), me.toString());
    assertTrue(expected >= 2 * mine.size(), "2 briqs or more per response: " + expected);

    HttpResponse<String> again = claim(token, mine.get(0));
    assertEquals(409, again.statusCode(), again.body());
    // A second wallet cannot take it either, and the first keeps its balance.
    HttpResponse<String> other = claim(newWallet(), mine.get(0).toLowerCase());
    assertEquals(409, other.statusCode(), other.body());
    assertEquals(expected, walletMe(token).path("balance").asInt());
  }

  @Test
  void claim_when50WalletsClaimOneTicketAtOnce_itIsCreditedExactlyOnce() throws Exception {
    String url = new ArrayList<>(printed.values()).get(0);
    int briqs = TicketCodec.parse(url).ticket().briqs();
    int clients = 50;
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      tokens.add(newWallet());
    }
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (String token : tokens) {
        results.add(
            pool.submit(
                () -> {
                  go.await();
                  return claim(token, url).statusCode();
                }));
      }
      go.countDown();
      Map<Integer, Integer> byStatus = new HashMap<>();
      for (Future<Integer> result : results) {
        byStatus.merge(result.get(), 1, Integer::sum);
      }
      assertEquals(Map.of(201, 1, 409, clients - 1), byStatus);
    } finally {
      pool.shutdownNow();
    }
    int credited = 0;
    for (String token : tokens) {
      credited += walletMe(token).path("balance").asInt();
    }
    assertEquals(briqs, credited);
  }

  @Test
  void claimPage_inAHeadlessBrowserOnAPhone_showsTheTicketAndClaimsIt() throws Exception {
    String url = new ArrayList<>(printed.values()).get(1);
    SignedTicket ticket = TicketCodec.parse(url);
    String page = base + "/T/" + ticket.code().toLowerCase() + "?lang=fr";
    Path shots = Path.of(System.getProperty("terrain.screenshots", "target/screenshots"));
    Files.createDirectories(shots);
    try (Browser browser = Browser.start(dir.resolve("browser"))) {
      browser.open(page);
      String before = browser.text("body");
      assertTrue(before.contains(ticket.ticket().briqs() + " briq"), before);
      assertTrue(before.contains("Marché Saint-Michel"), "the event's title: " + before);
      assertFalse(browser.scrollsSideways(), "the ticket page fits a phone's width");
      browser.screenshot(shots.resolve("claim-ticket-phone-fr.png"));

      browser.click("form button[type=submit]");
      String after = browser.awaitText("body", t -> t.contains("C'est fait"));
      assertTrue(after.contains(ticket.ticket().briqs() + " briq"), after);
      browser.screenshot(shots.resolve("claim-done-phone-fr.png"));
      browser.open(base + "/wallet?lang=fr");
      String wallet = browser.text("body");
      assertTrue(wallet.contains("Solde : " + ticket.ticket().briqs() + " briq"), wallet);
      assertFalse(browser.scrollsSideways(), "the wallet page fits a phone's width");
      browser.screenshot(shots.resolve("claim-wallet-phone-fr.png"));

      // The same ticket, opened again in this browser, is already claimed.
      browser.open(page);
      browser.click("form button[type=submit]");
      browser.awaitText("body", t -> t.contains("Déjà utilisé"));
    }
  }

  private void readKioskTickets() throws Exception {
    List<Path> databases = Apps.derbyDatabases(dir.resolve("kiosks"));
    assertEquals(KIOSKS, databases.size(), "kiosk databases: " + databases);
    for (Path path : databases) {
      Database database = Database.open(Database.derbyUrl(path));
      try (RecordStore store = new RecordStore(database)) {
        List<Record> tickets = store.records(eventId, RecordKind.TICKET);
        assertEquals(PER_KIOSK, tickets.size(), "one ticket per response in " + path);
        for (Record record : tickets) {
          SignedTicket ticket = TicketCodec.parse(TicketRecord.decode(record.body()).code());
          recorded.put(ticket.code(), ticket);
        }
      } finally {
        database.close();
      }
    }
  }

  private String newWallet() throws Exception {
    HttpResponse<String> created =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/api/wallets"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(201, created.statusCode(), created.body());
    return MAPPER.readTree(created.body()).path("token").asText();
  }

  private HttpResponse<String> claim(String token, String code) throws Exception {
    String body = MAPPER.createObjectNode().put("code", code).toString();
    return http.send(
        HttpRequest.newBuilder(URI.create(base + "/api/claims"))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode walletMe(String token) throws Exception {
    HttpResponse<String> me =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/api/wallets/me"))
                .header("Authorization", "Bearer " + token)
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, me.statusCode(), me.body());
    return MAPPER.readTree(me.body());
  }

  /**
   * Renders the PDF's first page and reads its QR code, as a phone's camera does: several frames at
   * different sizes until one reads. ZXing's single-QR reader misses about one clean render in
   * thirty at a given scale (seen at 200 dpi in RGB, read at 150 dpi or in grey).
   */
  private static String decodeQr(Path pdf) throws Exception {
    try (PDDocument document = Loader.loadPDF(pdf.toFile())) {
      assertEquals(1, document.getNumberOfPages(), pdf + " pages");
      PDFRenderer renderer = new PDFRenderer(document);
      for (int dpi : new int[] {150, 200, 300}) {
        BufferedImage image = renderer.renderImageWithDPI(0, dpi, ImageType.GRAY);
        int[] pixels =
            image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
        LuminanceSource source =
            new RGBLuminanceSource(image.getWidth(), image.getHeight(), pixels);
        try {
          return new QRCodeReader()
              .decode(
                  new BinaryBitmap(new HybridBinarizer(source)),
                  Map.of(DecodeHintType.TRY_HARDER, Boolean.TRUE))
              .getText();
        } catch (NotFoundException | ChecksumException | FormatException notAtThisSize) {
          // the next frame
        }
      }
      throw new AssertionError("no QR code found in " + pdf + " at 150, 200 or 300 dpi");
    }
  }
}
