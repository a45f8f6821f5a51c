// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.junit.jupiter.api.Test;
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
import terrain.hardware.printer.TicketPdf;
import terrain.store.Database;
import terrain.store.RecordStore;

/**
 * The workshop door's participation tickets (decision 0039), with real processes: {@code kiosk
 * --print-sheet 6} issues six attendance tickets as A4 sheets and hands them to a real hub, which
 * sends them to a real sync server; each QR code is read back from the rendered pages, and one is
 * claimed over HTTP for the event's attendance briqs, then refused the second time.
 */
class AttendanceSheetIT {
  private static final Duration START = Duration.ofSeconds(90);
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int TICKETS = 6;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private String base;

  @Test
  void printSheet_sixTicketsThroughHubAndServer_eachQrReadsBackAndOneClaimsTheAttendanceBriqs()
      throws Exception {
    Path dir = Files.createTempDirectory("terrain-door-it");
    Path eventFile = Apps.root().resolve("examples/events/atelier-parc.yaml");
    var event = EventLoader.load(eventFile);
    int briqs = event.rewards().briqsFor("attendance");
    assertTrue(briqs > 0, "the example workshop rewards attendance");
    int serverHttp = Ports.free();
    int serverMqtt = Ports.free();
    int hubMqtt = Ports.free();
    int hubHttp = Ports.free();
    base = "http://127.0.0.1:" + serverHttp;
    String hubStatus = "http://127.0.0.1:" + hubHttp + "/api/status";
    try (Apps apps = new Apps(dir.resolve("logs"))) {
      Child server =
          apps.start(
              "server",
              Apps.serverStartedCold(dir, serverHttp, serverMqtt, "--event", eventFile.toString()));
      Apps.await(server, Apps.HTTP_LISTENING, START);
      Child hub =
          apps.start(
              "hub",
              Commands.hub(
                  dir.resolve("hub"),
                  hubMqtt,
                  hubHttp,
                  "tcp://127.0.0.1:" + serverMqtt,
                  "hub-door-" + UUID.randomUUID().toString().substring(0, 8)));
      Apps.await(hub, Apps.HTTP_LISTENING, START);

      Path tablet = dir.resolve("tablet");
      Path pdf = dir.resolve("door.pdf");
      Child print =
          apps.start(
              "print-sheet",
              "kiosk",
              "--dev",
              "--data",
              tablet.toString(),
              "--event",
              eventFile.toString(),
              "--hub",
              "tcp://127.0.0.1:" + hubMqtt,
              "--claim-host",
              "127.0.0.1:" + serverHttp,
              "--print-sheet",
              "" + TICKETS,
              "--out",
              pdf.toString(),
              "--send-wait",
              "60");
      assertEquals(0, print.waitFor(Duration.ofSeconds(120)), String.join("\n", print.output()));
      String said = String.join("\n", print.output());
      assertTrue(said.contains("Issued " + TICKETS + " attendance tickets of " + briqs), said);
      assertTrue(said.contains("Sent to the hub"), said);

      Map<String, SignedTicket> recorded = recorded(tablet, event.id());
      assertEquals(TICKETS, recorded.size(), "TICKET records in the tablet's database");

      List<String> urls = decodeSheets(pdf, TICKETS);
      Set<String> codes = new LinkedHashSet<>();
      for (String url : urls) {
        assertTrue(url.startsWith("HTTPS://127.0.0.1:" + serverHttp + "/T/"), url);
        SignedTicket ticket = TicketCodec.parse(url);
        assertTrue(recorded.containsKey(ticket.code()), "printed = recorded: " + url);
        assertEquals("attendance", ticket.ticket().action());
        assertEquals(briqs, ticket.ticket().briqs());
        codes.add(ticket.code());
      }
      assertEquals(TICKETS, codes.size(), "six different tickets on the sheets");

      new Json().await(hubStatus, s -> s.path("pending").asLong() == 0, Duration.ofSeconds(120));
      String token = newWallet();
      String first = urls.get(0);
      HttpResponse<String> claim = claim(token, first);
      assertEquals(201, claim.statusCode(), claim.body());
      assertEquals(briqs, MAPPER.readTree(claim.body()).path("briqs").asInt());
      assertEquals(briqs, balance(token));

      HttpResponse<String> again = claim(token, first);
      assertEquals(409, again.statusCode(), again.body());
      HttpResponse<String> other = claim(newWallet(), first.toLowerCase());
      assertEquals(409, other.statusCode(), other.body());
      HttpResponse<String> last = claim(token, urls.get(TICKETS - 1));
      assertEquals(201, last.statusCode(), "the last ticket of page 2: " + last.body());
      assertEquals(2 * briqs, balance(token));
    }
  }

  private static Map<String, SignedTicket> recorded(Path data, String eventId) throws Exception {
    List<Path> databases = Apps.derbyDatabases(data);
    assertEquals(1, databases.size(), "the tablet's database: " + databases);
    Map<String, SignedTicket> tickets = new HashMap<>();
    Database database = Database.open(Database.derbyUrl(databases.get(0)));
    try (RecordStore store = new RecordStore(database)) {
      for (Record record : store.records(eventId, RecordKind.TICKET)) {
        SignedTicket ticket = TicketCodec.parse(TicketRecord.decode(record.body()).code());
        tickets.put(ticket.code(), ticket);
      }
    } finally {
      database.close();
    }
    return tickets;
  }

  /**
   * Renders each A4 page and reads the QR code of each of its four ticket cells (two across, two
   * down, as {@link TicketPdf#sheet} lays them out), at several sizes as a phone's camera would.
   */
  private static List<String> decodeSheets(Path pdf, int tickets) throws Exception {
    List<String> urls = new ArrayList<>();
    try (PDDocument document = Loader.loadPDF(pdf.toFile())) {
      assertEquals((tickets + 3) / 4, document.getNumberOfPages(), "A4 pages of four tickets");
      PDFRenderer renderer = new PDFRenderer(document);
      float gapX = (PDRectangle.A4.getWidth() - 2 * TicketPdf.WIDTH) / 3;
      float gapY = (PDRectangle.A4.getHeight() - 2 * TicketPdf.HEIGHT) / 3;
      for (int page = 0; page < document.getNumberOfPages(); page++) {
        assertEquals(
            PDRectangle.A4.getHeight(), document.getPage(page).getMediaBox().getHeight(), 1);
        for (int cell = 0; cell < 4 && urls.size() < tickets; cell++) {
          float x = gapX + (cell % 2) * (TicketPdf.WIDTH + gapX);
          float top = gapY + (cell / 2) * (TicketPdf.HEIGHT + gapY);
          urls.add(
              decodeCell(renderer, page, x, top, pdf + " page " + (page + 1) + " cell " + cell));
        }
      }
    }
    return urls;
  }

  private static String decodeCell(PDFRenderer renderer, int page, float x, float top, String where)
      throws Exception {
    for (int dpi : new int[] {150, 200, 300}) {
      BufferedImage image = renderer.renderImageWithDPI(page, dpi, ImageType.GRAY);
      float scale = dpi / 72f;
      BufferedImage cell =
          image.getSubimage(
              Math.round(x * scale),
              Math.round(top * scale),
              Math.round(TicketPdf.WIDTH * scale),
              Math.round(TicketPdf.HEIGHT * scale));
      int[] pixels = cell.getRGB(0, 0, cell.getWidth(), cell.getHeight(), null, 0, cell.getWidth());
      LuminanceSource source = new RGBLuminanceSource(cell.getWidth(), cell.getHeight(), pixels);
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
    throw new AssertionError("no QR code in " + where + " at 150, 200 or 300 dpi");
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

  private int balance(String token) throws Exception {
    HttpResponse<String> me =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/api/wallets/me"))
                .header("Authorization", "Bearer " + token)
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, me.statusCode(), me.body());
    return MAPPER.readTree(me.body()).path("balance").asInt();
  }
}
