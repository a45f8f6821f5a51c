// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hardware.printer;

import com.fazecast.jSerialComm.SerialPort;
import com.fazecast.jSerialComm.SerialPortInvalidPortException;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * How bytes reach a receipt printer and its status bytes come back: a USB printer device file, a
 * serial line, or a TCP socket (port 9100, "raw" or "JetDirect" printing).
 */
public sealed interface PrinterLink {

  /** Opens a connection; the caller closes it. */
  Connection open() throws IOException;

  /** What staff and logs call it, e.g. {@code tcp:192.168.4.20:9100}. */
  String describe();

  /** An open connection to the printer. */
  interface Connection extends Closeable {

    void write(byte[] bytes) throws IOException;

    /** The next byte from the printer, or -1 if none came within {@code timeout}. */
    int read(Duration timeout) throws IOException;

    /** Drops any bytes the printer sent that nobody read (late answers). */
    void drain() throws IOException;
  }

  /**
   * A network printer.
   *
   * @param host its name or address
   * @param port usually 9100
   * @param connectTimeout how long to wait for the connection
   */
  record Tcp(String host, int port, Duration connectTimeout) implements PrinterLink {
    public Tcp {
      Objects.requireNonNull(host, "Tcp host must not be null");
      if (host.isBlank()) {
        throw new IllegalArgumentException("Tcp host must not be blank");
      }
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("Tcp port [" + port + "] must be from 1 to 65535");
      }
      Objects.requireNonNull(connectTimeout, "Tcp connectTimeout must not be null");
    }

    @Override
    public Connection open() throws IOException {
      Socket socket = new Socket();
      try {
        socket.connect(new InetSocketAddress(host, port), (int) connectTimeout.toMillis());
        socket.setTcpNoDelay(true);
        return new StreamConnection(socket, socket.getInputStream(), socket.getOutputStream()) {
          @Override
          public int read(Duration timeout) throws IOException {
            socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
            try {
              return socket.getInputStream().read();
            } catch (SocketTimeoutException e) {
              return -1;
            }
          }

          @Override
          public void drain() throws IOException {
            while (socket.getInputStream().available() > 0) {
              socket.getInputStream().read();
            }
          }
        };
      } catch (IOException e) {
        socket.close();
        throw new IOException(
            (e instanceof UnknownHostException ? "unknown host " + host : e.getMessage())
                + "; check that the printer is on, on this network, at this address",
            e);
      } catch (RuntimeException e) {
        socket.close();
        throw e;
      }
    }

    @Override
    public String describe() {
      return "tcp:" + host + ":" + port;
    }
  }

  /**
   * A USB printer through the kernel's {@code usblp} driver, e.g. {@code /dev/usb/lp0}, opened for
   * reading and writing: the printer's status answers are read from the same file. The user needs
   * to be in the {@code lp} group.
   */
  record DeviceFile(Path path) implements PrinterLink {
    public DeviceFile {
      Objects.requireNonNull(path, "DeviceFile path must not be null");
    }

    @Override
    public Connection open() throws IOException {
      FileChannel channel;
      try {
        channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
      } catch (NoSuchFileException e) {
        throw new IOException(
            "there is no device " + path + ": is the printer plugged in and switched on?", e);
      } catch (AccessDeniedException e) {
        throw new IOException(
            "this user may not use " + path + ": add it to the group lp, then log in again", e);
      }
      return new QueuedConnection(
          Channels.newInputStream(channel), Channels.newOutputStream(channel), channel, describe());
    }

    @Override
    public String describe() {
      return "usb:" + path;
    }
  }

  /**
   * A printer on a serial line (RS-232 or a USB serial adapter), 8 data bits, no parity, 1 stop
   * bit, hardware flow control off.
   *
   * @param device e.g. {@code /dev/ttyUSB0} or {@code COM3}
   * @param baud e.g. 19200
   */
  record Serial(String device, int baud) implements PrinterLink {
    public Serial {
      Objects.requireNonNull(device, "Serial device must not be null");
      if (device.isBlank()) {
        throw new IllegalArgumentException("Serial device must not be blank");
      }
      if (baud < 1200 || baud > 921_600) {
        throw new IllegalArgumentException(
            "Serial baud [" + baud + "] must be from 1200 to 921600 (often 9600, 19200, 38400)");
      }
    }

    @Override
    public Connection open() throws IOException {
      SerialPort port;
      try {
        port = SerialPort.getCommPort(device);
      } catch (SerialPortInvalidPortException e) {
        throw new IOException(
            "there is no serial port " + device + ": check the device name (ls /dev/tty*)", e);
      }
      port.setComPortParameters(baud, 8, SerialPort.ONE_STOP_BIT, SerialPort.NO_PARITY);
      port.setFlowControl(SerialPort.FLOW_CONTROL_DISABLED);
      if (!port.openPort()) {
        throw new IOException(
            "cannot open the serial port "
                + device
                + " (error "
                + port.getLastErrorCode()
                + "): check the device name and that this user may use it (group dialout)");
      }
      port.setComPortTimeouts(SerialPort.TIMEOUT_WRITE_BLOCKING, 0, 5_000);
      OutputStream out = port.getOutputStream();
      return new Connection() {
        @Override
        public void write(byte[] bytes) throws IOException {
          out.write(bytes);
          out.flush();
        }

        @Override
        public int read(Duration timeout) {
          port.setComPortTimeouts(
              SerialPort.TIMEOUT_READ_SEMI_BLOCKING | SerialPort.TIMEOUT_WRITE_BLOCKING,
              (int) Math.max(1, timeout.toMillis()),
              5_000);
          byte[] one = new byte[1];
          return port.readBytes(one, 1) == 1 ? one[0] & 0xFF : -1;
        }

        @Override
        public void drain() {
          int waiting = port.bytesAvailable();
          if (waiting > 0) {
            port.readBytes(new byte[waiting], waiting);
          }
        }

        @Override
        public void close() {
          port.closePort();
        }
      };
    }

    @Override
    public String describe() {
      return "serial:" + device + "?baud=" + baud;
    }
  }

  /** A connection over a pair of streams whose close closes {@code resource}. */
  abstract class StreamConnection implements Connection {
    private final Closeable resource;
    private final OutputStream out;

    StreamConnection(Closeable resource, InputStream in, OutputStream out) {
      this.resource = resource;
      this.out = out;
    }

    @Override
    public void write(byte[] bytes) throws IOException {
      out.write(bytes);
      out.flush();
    }

    @Override
    public void close() throws IOException {
      resource.close();
    }
  }

  /**
   * A connection whose input cannot time out by itself (a device file): a daemon thread reads it
   * into a queue, and closing the channel ends that thread.
   */
  final class QueuedConnection extends StreamConnection {
    private final BlockingQueue<Integer> answers = new ArrayBlockingQueue<>(256);

    QueuedConnection(InputStream in, OutputStream out, Closeable resource, String name) {
      super(resource, in, out);
      Thread reader =
          new Thread(
              () -> {
                byte[] buffer = new byte[64];
                try {
                  int n;
                  while ((n = in.read(buffer)) >= 0) {
                    for (int i = 0; i < n; i++) {
                      answers.offer(buffer[i] & 0xFF);
                    }
                  }
                } catch (IOException e) {
                  // Closed: the connection is over.
                }
              },
              "printer-reader " + name);
      reader.setDaemon(true);
      reader.start();
    }

    @Override
    public int read(Duration timeout) throws IOException {
      try {
        Integer b = answers.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return b == null ? -1 : b;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while waiting for the printer");
      }
    }

    @Override
    public void drain() {
      answers.clear();
    }
  }
}
