// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hardware.printer;

import java.awt.image.BufferedImage;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A network receipt printer for tests: a TCP server on a loopback ephemeral port that reads ESC/POS
 * as an 80 mm (or 58 mm) printer would, and keeps what it printed.
 *
 * <p>It understands the commands Terrain sends ({@code ESC @ t a E d}, {@code GS ! v0 (k V r},
 * {@code DLE EOT}, {@code DLE DC4 8}, LF and CP858 text); any other byte fails the test through
 * {@link #errors()}. Real-time commands ({@code DLE ...}) are answered even while printing is
 * stalled; {@code GS r} waits its turn like any printing command. Paper is counted in dot rows:
 * {@link #paperFor} makes the roll end after so many rows, in the middle of a ticket if wanted;
 * then the ticket is not printed (the cut never comes), printing stalls, and further bytes are
 * buffered until {@code DLE DC4 8} clears them.
 */
final class EscPosEmulator implements Closeable {

  /**
   * A ticket that came out (up to its cut).
   *
   * @param lines its text, decoded from CP858, one entry per printed line
   * @param raster its raster images, stacked: one row of dots per entry
   * @param nativeQr the data of each QR code printed with {@code GS ( k}
   * @param codePages the {@code ESC t} pages selected
   * @param bytes every byte of it, from {@code ESC @} to the cut
   */
  record Ticket(
      List<String> lines,
      List<boolean[]> raster,
      List<String> nativeQr,
      List<Integer> codePages,
      byte[] bytes) {

    /** Its text in one string, lines joined by newlines. */
    String text() {
      return String.join("\n", lines);
    }

    /** The raster as a black-on-white image with a white border. */
    BufferedImage image() {
      return TestTickets.image(raster.toArray(new boolean[0][]), 16);
    }
  }

  private final ServerSocket server;
  private final Thread acceptor;
  private final List<Ticket> printed = new CopyOnWriteArrayList<>();
  private final List<String> errors = new CopyOnWriteArrayList<>();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final int widthDots;
  private long paperRows = Long.MAX_VALUE;
  private boolean coverOpen;
  private boolean nearEnd;
  private boolean silent;
  private int abandoned;
  private int jobs;

  /** A printer of {@code widthDots} dots per line, listening on 127.0.0.1. */
  EscPosEmulator(int widthDots) throws IOException {
    this.widthDots = widthDots;
    server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
    acceptor = new Thread(this::accept, "escpos-emulator");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return server.getLocalPort();
  }

  PrinterLink.Tcp link() {
    return new PrinterLink.Tcp("127.0.0.1", port(), java.time.Duration.ofSeconds(2));
  }

  /** Tickets printed whole, in order. */
  List<Ticket> printed() {
    return List.copyOf(printed);
  }

  /** Commands it did not understand: a test expects none. */
  List<String> errors() {
    return List.copyOf(errors);
  }

  /** Tickets started and never cut (paper ran out, buffer cleared). */
  synchronized int abandoned() {
    return abandoned;
  }

  /** Tickets started ({@code ESC @} received while printing could go on). */
  synchronized int jobs() {
    return jobs;
  }

  /** The roll ends after {@code rows} more dot rows. */
  synchronized void paperFor(long rows) {
    paperRows = rows;
  }

  /** A new roll: printing can go on. */
  synchronized void loadPaper() {
    paperRows = Long.MAX_VALUE;
  }

  synchronized void coverOpen(boolean open) {
    coverOpen = open;
  }

  synchronized void nearEnd(boolean near) {
    nearEnd = near;
  }

  /** Accept connections but never answer (a printer that only listens). */
  synchronized void silent(boolean quiet) {
    silent = quiet;
  }

  private synchronized boolean paperOut() {
    return paperRows <= 0;
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        sockets.add(socket);
        Thread reader = new Thread(() -> serve(socket), "escpos-emulator-conn");
        reader.setDaemon(true);
        reader.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  /** One connection: what the printer does with its bytes. */
  private void serve(Socket socket) {
    try (socket) {
      new Session(new BufferedInputStream(socket.getInputStream()), socket.getOutputStream()).run();
    } catch (EOFException | SocketException e) {
      // The host closed the connection.
    } catch (IOException | RuntimeException e) {
      errors.add(e.toString());
    }
  }

  private final class Session {
    private final InputStream in;
    private final OutputStream out;
    private ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private List<String> lines = new ArrayList<>();
    private List<boolean[]> raster = new ArrayList<>();
    private List<String> nativeQr = new ArrayList<>();
    private List<Integer> codePages = new ArrayList<>();
    private ByteArrayOutputStream line = new ByteArrayOutputStream();
    private String qrData;
    private int lineRows = 24;
    private boolean started;
    private boolean stalled;

    Session(InputStream in, OutputStream out) {
      this.in = in;
      this.out = out;
    }

    void run() throws IOException {
      while (true) {
        int b = next();
        if (b == 0x10) {
          realTime();
          continue;
        }
        // Without paper the printer still reads its buffer's commands, but prints nothing.
        switch (b) {
          case 0x1B -> esc();
          case 0x1D -> gs();
          case '\n' -> {
            if (!stalled) {
              lines.add(new String(line.toByteArray(), EscPosTicket.CP858));
              feed(lineRows);
            }
            line.reset();
          }
          default -> {
            if (b < 0x20) {
              errors.add(String.format("control byte 0x%02x in text", b));
            } else if (!stalled) {
              line.write(b);
            }
          }
        }
      }
    }

    private int next() throws IOException {
      int b = in.read();
      if (b < 0) {
        throw new EOFException();
      }
      bytes.write(b);
      return b;
    }

    private void realTime() throws IOException {
      int command = next();
      if (command == 0x04) {
        int n = next();
        answer(status(n));
      } else if (command == 0x14) {
        int fn = next();
        byte[] rest = in.readNBytes(7);
        if (fn != 8 || !java.util.Arrays.equals(rest, new byte[] {1, 3, 20, 1, 6, 2, 8})) {
          errors.add("DLE DC4 " + fn + " is not clear buffers");
        }
        if (started) {
          synchronized (EscPosEmulator.this) {
            abandoned++;
          }
        }
        reset();
        stalled = false;
      } else {
        errors.add(String.format("DLE 0x%02x", command));
      }
    }

    private int status(int n) {
      synchronized (EscPosEmulator.this) {
        boolean out = paperOut();
        return switch (n) {
          case 1 -> 0x12 | (out || coverOpen ? 0x08 : 0);
          case 2 -> 0x12 | (coverOpen ? 0x04 : 0) | (out ? 0x20 : 0);
          case 3 -> 0x12;
          case 4 -> 0x12 | (nearEnd ? 0x0C : 0) | (out ? 0x60 : 0);
          default -> {
            errors.add("DLE EOT " + n);
            yield 0;
          }
        };
      }
    }

    private void answer(int b) throws IOException {
      synchronized (EscPosEmulator.this) {
        if (silent) {
          return;
        }
      }
      out.write(b);
      out.flush();
    }

    private void esc() throws IOException {
      int c = next();
      switch (c) {
        case '@' -> {
          if (stalled) {
            return;
          }
          if (started) {
            synchronized (EscPosEmulator.this) {
              abandoned++;
            }
          }
          reset();
          started = true;
          bytes.write(0x1B);
          bytes.write('@');
          synchronized (EscPosEmulator.this) {
            jobs++;
          }
        }
        case 't' -> codePages.add(next());
        case 'a', 'E' -> next();
        case 'd' -> feed(next() * 30);
        default -> errors.add("ESC " + (char) c);
      }
    }

    private void gs() throws IOException {
      int c = next();
      switch (c) {
        case '!' -> lineRows = (next() & 0x0F) == 1 ? 48 : 24;
        case 'v' -> rasterImage();
        case '(' -> function();
        case 'V' -> {
          int m = next();
          if (m == 65 || m == 66) {
            next();
          }
          cut();
        }
        case 'r' -> {
          if (next() != 1) {
            errors.add("GS r other than 1");
          }
          if (!stalled) {
            boolean near;
            synchronized (EscPosEmulator.this) {
              near = nearEnd;
            }
            answer(near ? 0x03 : 0x00);
          }
        }
        default -> errors.add("GS " + (char) c);
      }
    }

    private void rasterImage() throws IOException {
      if (next() != '0') {
        errors.add("GS v without 0");
      }
      next(); // density
      int x = next() | next() << 8;
      int y = next() | next() << 8;
      if (x * 8 > widthDots) {
        errors.add("raster " + x * 8 + " dots wide on " + widthDots + " dots paper");
      }
      for (int row = 0; row < y; row++) {
        boolean[] dots = new boolean[x * 8];
        for (int b = 0; b < x; b++) {
          int value = next();
          for (int bit = 0; bit < 8; bit++) {
            dots[b * 8 + bit] = (value & (0x80 >> bit)) != 0;
          }
        }
        if (!stalled) {
          raster.add(dots);
          feed(1);
        }
      }
    }

    /** {@code GS ( k pL pH 31 fn ...}: the QR code functions. */
    private void function() throws IOException {
      int k = next();
      int length = next() | next() << 8;
      byte[] data = new byte[length];
      for (int i = 0; i < length; i++) {
        data[i] = (byte) next();
      }
      if (k != 'k' || length < 3 || data[0] != 0x31) {
        errors.add("GS ( " + (char) k + " of " + length + " bytes is not a QR code function");
        return;
      }
      switch (data[1]) {
        case 0x41 -> {
          if (data[2] != 0x32) {
            errors.add("QR model " + data[2]);
          }
        }
        case 0x43 -> {
          if (data[2] < 1 || data[2] > 16) {
            errors.add("QR module size " + data[2]);
          }
        }
        case 0x45 -> {
          if (data[2] < 0x30 || data[2] > 0x33) {
            errors.add("QR error correction " + data[2]);
          }
        }
        case 0x50 -> qrData = ascii(data, 3);
        case 0x51 -> {
          if (qrData == null) {
            errors.add("QR printed before its data was stored");
          } else if (!stalled) {
            nativeQr.add(qrData);
            feed(240);
          }
        }
        default -> errors.add("QR function " + data[1]);
      }
    }

    private void cut() {
      if (stalled) {
        return;
      }
      if (!started) {
        errors.add("cut without a ticket");
        return;
      }
      printed.add(
          new Ticket(
              List.copyOf(lines),
              List.copyOf(raster),
              List.copyOf(nativeQr),
              List.copyOf(codePages),
              bytes.toByteArray()));
      reset();
    }

    private void feed(int rows) {
      synchronized (EscPosEmulator.this) {
        if (paperRows == Long.MAX_VALUE) {
          return;
        }
        paperRows -= rows;
        if (paperRows <= 0) {
          paperRows = 0;
          stalled = true;
        }
      }
    }

    private void reset() {
      bytes = new ByteArrayOutputStream();
      lines = new ArrayList<>();
      raster = new ArrayList<>();
      nativeQr = new ArrayList<>();
      codePages = new ArrayList<>();
      line.reset();
      qrData = null;
      lineRows = 24;
      started = false;
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket socket : sockets) {
      socket.close();
    }
  }

  static String ascii(byte[] data, int from) {
    return new String(data, from, data.length - from, StandardCharsets.US_ASCII);
  }
}
