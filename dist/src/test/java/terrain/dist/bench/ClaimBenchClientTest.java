// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.dist.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The claims bench's HTTP client, against a real socket that counts its connections. */
class ClaimBenchClientTest {
  @Test
  void aConnectionMadeBeforeAPhaseIsTheOneItsClaimsUse() throws Exception {
    AtomicInteger accepted = new AtomicInteger();
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread answering =
          new Thread(
              () -> {
                while (!server.isClosed()) {
                  try (Socket socket = server.accept()) {
                    accepted.incrementAndGet();
                    answer(socket);
                  } catch (Exception closed) {
                    return;
                  }
                }
              });
      answering.setDaemon(true);
      answering.start();
      try (ClaimBench.Client client = new ClaimBench.Client("127.0.0.1", server.getLocalPort())) {
        client.connect();
        for (int i = 0; i < 3; i++) {
          assertEquals(201, client.claim("token", "code-" + i).status());
        }
      }
      // One connection for the three claims: the bench's phases connect their clients before
      // the clock starts, and a second connection would be made inside the measured time.
      assertEquals(1, accepted.get());
    }
  }

  /** Answers every request on the connection with 201 and a small JSON body, until it closes. */
  private static void answer(Socket socket) throws Exception {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    OutputStream out = socket.getOutputStream();
    while (in.readLine() != null) { // the request line
      int length = 0;
      for (String header = in.readLine();
          header != null && !header.isEmpty();
          header = in.readLine()) {
        if (header.regionMatches(true, 0, "Content-Length:", 0, 15)) {
          length = Integer.parseInt(header.substring(15).strip());
        }
      }
      in.skip(length);
      byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
      out.write(
          ("HTTP/1.1 201 Created\r\nContent-Length: " + body.length + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
    }
  }
}
