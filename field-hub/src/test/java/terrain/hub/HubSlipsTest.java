// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import terrain.hardware.gpio.GpioPins;
import terrain.hardware.printer.PrinterChoice;
import terrain.hub.panel.PanelSettings;

/** A real hub prints its slips as PDF files on {@code POST /api/slips/...}. */
class HubSlipsTest {

  @Test
  void postSlips_whenUplinkDown_printsStatusAndCloseOfDay(@TempDir Path dir) throws Exception {
    Path slips = dir.resolve("slips");
    HubConfig config =
        TestSupport.config(
            dir.resolve("hub"), 0, "tcp://127.0.0.1:" + TestSupport.freePort(), "hub-slips");
    PanelSettings panel =
        new PanelSettings(new PrinterChoice.Pdf(slips), GpioPins.none(), List.of());
    try (Hub hub =
        Hub.start(config, null, panel, () -> {}, Clock.systemUTC(), new SecureRandom())) {
      HttpClient http = HttpClient.newHttpClient();
      for (String slip : List.of("status", "day")) {
        HttpResponse<String> response =
            http.send(
                HttpRequest.newBuilder(URI.create(hub.httpUrl() + "/api/slips/" + slip))
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
      }
    }
    String status = text(slips, "slip-status-");
    assertTrue(status.contains("Hub hub-slips : état"), status);
    assertTrue(status.contains("Serveur : injoignable"), status);
    assertTrue(status.contains("En attente d'envoi : 0"), status);
    String day = text(slips, "slip-day-");
    assertTrue(day.contains("Total : 0 fiches, 0 en attente"), day);
    // SHA-256 of nothing: no record today.
    assertTrue(day.contains("e3b0c44298fc1c149afbf4c8996fb924"), day);
  }

  private static String text(Path folder, String prefix) throws Exception {
    Path file;
    try (Stream<Path> files = Files.list(folder)) {
      file =
          files
              .filter(p -> p.getFileName().toString().startsWith(prefix))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no " + prefix + "*.pdf in " + folder));
    }
    try (PDDocument pdf = Loader.loadPDF(Files.readAllBytes(file))) {
      return new PDFTextStripper().getText(pdf);
    }
  }
}
