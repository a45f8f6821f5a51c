// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.NanoTime;

/**
 * Reads a request's body in full, without a thread, before the wrapped handler sees the request (as
 * nginx buffers bodies). A client that sends its body slowly holds a connection, never one of the
 * few request threads: endpoints read bodies with blocking streams, and a few dozen trickling
 * clients would otherwise freeze every answer.
 *
 * <ul>
 *   <li>A {@code Content-Length} above {@code maxBytes} is answered 413 before a byte is read; a
 *       chunked body is cut at {@code maxBytes + 1} and answered 413.
 *   <li>The minimum data rate: once {@code grace} has passed since the headers, the body must have
 *       arrived at {@code minBytesPerSecond} on average (counted from the end of the grace), else
 *       408 and the connection is closed. It is checked each time bytes arrive; a client that sends
 *       nothing more is closed by the connector's idle timeout.
 * </ul>
 *
 * Jetty 12.0's own {@code HttpConfiguration.setMinRequestDataRate} is not enforced by the core
 * server (only servlet environments read it) and its {@code MinimumDataRateHandler} counts the
 * bytes of all requests together (decision 0018).
 */
final class BodyFirst extends Handler.Wrapper {
  private final int maxBytes;
  private final long minBytesPerSecond;
  private final long graceNanos;

  BodyFirst(Handler handler, int maxBytes, long minBytesPerSecond, Duration grace) {
    super(handler);
    this.maxBytes = maxBytes;
    this.minBytesPerSecond = minBytesPerSecond;
    this.graceNanos = grace.toNanos();
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    long length = request.getLength();
    boolean chunked = request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
    if (length <= 0 && !chunked) {
      return handleNow(request, response, callback);
    }
    if (length > maxBytes) {
      refuse(response, callback, 413, "the body exceeds " + maxBytes + " bytes");
      return true;
    }
    new Reader(request, response, callback, length > 0 ? (int) length : 1024).run();
    return true;
  }

  private boolean handleNow(Request request, Response response, Callback callback)
      throws Exception {
    if (!super.handle(request, response, callback)) {
      Responses.sendError(response, callback, 404, "not found");
    }
    return true;
  }

  private static void refuse(Response response, Callback callback, int status, String reason) {
    // The rest of the body is not read: the connection cannot carry another request.
    response.getHeaders().put(HttpHeader.CONNECTION, "close");
    Responses.sendError(response, callback, status, reason);
  }

  /** Reads chunks as they arrive (a demand callback each time), then hands the request on. */
  private final class Reader implements Runnable {
    private final Request request;
    private final Response response;
    private final Callback callback;
    private final ByteArrayOutputStream body;

    Reader(Request request, Response response, Callback callback, int expected) {
      this.request = request;
      this.response = response;
      this.callback = callback;
      this.body = new ByteArrayOutputStream(Math.min(expected, maxBytes));
    }

    @Override
    public void run() {
      while (true) {
        Content.Chunk chunk = request.read();
        if (chunk == null) {
          if (tooSlow()) {
            return;
          }
          request.demand(this);
          return;
        }
        if (Content.Chunk.isFailure(chunk)) {
          Throwable failure = chunk.getFailure();
          refuse(
              response,
              callback,
              failure instanceof java.util.concurrent.TimeoutException ? 408 : 400,
              "the request body could not be read: " + failure.getMessage());
          return;
        }
        ByteBuffer bytes = chunk.getByteBuffer();
        int size = bytes.remaining();
        if (body.size() + size > maxBytes) {
          chunk.release();
          refuse(response, callback, 413, "the body exceeds " + maxBytes + " bytes");
          return;
        }
        byte[] copy = new byte[size];
        bytes.get(copy);
        body.write(copy, 0, size);
        boolean last = chunk.isLast();
        chunk.release();
        if (last) {
          dispatch();
          return;
        }
        if (tooSlow()) {
          return;
        }
      }
    }

    /** Whether the body falls behind the minimum rate; if so the client is answered 408. */
    private boolean tooSlow() {
      if (minBytesPerSecond <= 0) {
        return false;
      }
      long late = NanoTime.since(request.getHeadersNanoTime()) - graceNanos;
      if (late <= 0) {
        return false;
      }
      long owed = minBytesPerSecond * late / TimeUnit.SECONDS.toNanos(1);
      if (body.size() >= owed) {
        return false;
      }
      refuse(
          response,
          callback,
          408,
          "the request body arrives too slowly: "
              + body.size()
              + " bytes in "
              + TimeUnit.NANOSECONDS.toMillis(late + graceNanos)
              + " ms, below "
              + minBytesPerSecond
              + " bytes/s; send it at once");
      return true;
    }

    private void dispatch() {
      Request buffered = new Buffered(request, body.toByteArray());
      try {
        handleNow(buffered, response, callback);
      } catch (Exception e) {
        if (response.isCommitted()) {
          callback.failed(e);
        } else {
          Responses.sendError(response, callback, 500, "internal error: " + e.getMessage());
        }
      }
    }
  }

  /** The request with its body already read: one chunk, then the end. */
  private static final class Buffered extends Request.Wrapper {
    private final byte[] body;
    private boolean read;

    Buffered(Request request, byte[] body) {
      super(request);
      this.body = body;
    }

    @Override
    public long getLength() {
      return body.length;
    }

    @Override
    public synchronized Content.Chunk read() {
      if (read) {
        return Content.Chunk.EOF;
      }
      read = true;
      return Content.Chunk.from(ByteBuffer.wrap(body), true);
    }

    @Override
    public void demand(Runnable demandCallback) {
      demandCallback.run();
    }

    @Override
    public synchronized boolean consumeAvailable() {
      read = true;
      return true;
    }
  }
}
