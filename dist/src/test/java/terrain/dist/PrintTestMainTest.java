// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrintTestMainTest {

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-28T10:00:00Z"), ZoneOffset.UTC);

  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return PrintTestMain.run(
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8),
        CLOCK,
        args);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void run_whenPdfFolder_printsTheTestTicketAndExits0() throws Exception {
    int code = run("--printer", "pdf:" + dir);

    assertEquals(0, code, err());
    assertTrue(Files.exists(dir.resolve("ticket-TEST-TEST-TEST.pdf")));
  }

  @Test
  void run_whenNothingListens_exits4WithTheReason() throws Exception {
    int port;
    try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = closed.getLocalPort();
    }

    int code = run("--printer", "escpos:tcp:127.0.0.1:" + port);

    assertEquals(PrintTestMain.UNREACHABLE, code);
    assertTrue(err().contains(": no-answer (cannot reach tcp:127.0.0.1:" + port), err());
  }

  @Test
  void run_whenThePrinterSaysNoPaper_exits3() throws Exception {
    try (ServerSocket printer = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread answering =
          new Thread(
              () -> {
                try (Socket socket = printer.accept()) {
                  InputStream in = socket.getInputStream();
                  OutputStream answers = socket.getOutputStream();
                  // DLE EOT 1..4: offline; stopped at paper end; no error; paper out.
                  int[] status = {0x1A, 0x32, 0x12, 0x72};
                  for (int i = 0; i < 4; i++) {
                    in.readNBytes(3);
                    answers.write(status[i]);
                  }
                  answers.flush();
                  in.readAllBytes();
                } catch (java.io.IOException e) {
                  // The test's assertions say what went wrong.
                }
              });
      answering.setDaemon(true);
      answering.start();

      int code = run("--printer", "escpos:tcp:127.0.0.1:" + printer.getLocalPort());

      assertEquals(PrintTestMain.NO_PAPER, code, err());
      assertTrue(err().contains(": paper-out"), err());
    }
  }

  @Test
  void run_whenTheUriIsWrong_exits2NamingTheForms() {
    int code = run("--printer", "escpos:bluetooth:printer");

    assertEquals(2, code);
    assertTrue(err().contains("[bluetooth] is not usb, serial or tcp"), err());
  }
}
