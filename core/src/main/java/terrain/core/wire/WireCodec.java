// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.wire;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import terrain.core.codec.ByteReader;
import terrain.core.codec.ByteWriter;
import terrain.core.codec.WireException;
import terrain.core.codec.WireLimitException;
import terrain.core.codec.WireLimitException.Limit;
import terrain.core.record.DeviceId;
import terrain.core.record.Record;
import terrain.core.record.RecordKind;

/**
 * Terrain wire format v1: the bytes of every MQTT payload on {@code terrain/v1/...}.
 *
 * <pre>
 * header (4 bytes, never compressed)
 *   u8  magic 0x54 ('T')
 *   u8  format version (1)
 *   u8  message type: 1 batch, 2 ack
 *   u8  flags: bit 0 = body is raw deflate (RFC 1951)
 * batch body
 *   text    sender id
 *   varint  batch id
 *   varint  string count, then each string as text (device ids and event ids; records refer to
 *           them by index so that a batch of one device costs its id once)
 *   varint  record count, then for each record:
 *     u8      kind code
 *     varint  device index       varint  event index
 *     zigzag  seq - previous record's seq
 *     zigzag  device time - previous record's device time (ms)
 *     zigzag  hub time - previous record's hub time (ms)
 *     bytes   body (varint length + bytes)
 * ack body
 *   text    receiver id
 *   varint  batch id
 *   varint  entry count, then for each: text device id, varint upTo
 * </pre>
 *
 * "text" is a varint byte length followed by UTF-8. Deltas start from 0. Decoding never trusts a
 * count or a length: each is bounded before anything is allocated, and the inflated size is capped.
 *
 * <p>Limits (docs/decisions/0014): a payload of at most {@link #MAX_MESSAGE_BYTES}, a body of at
 * most {@link #MAX_INFLATED_BYTES} once inflated, at most {@link #MAX_RECORDS} records and {@link
 * Record#MAX_BODY_BYTES} per record body. Past any of them decoding raises a {@link
 * WireLimitException} naming the limit; {@link #encodeLeadingBatch} never builds a batch past them.
 */
public final class WireCodec {
  public static final int MAGIC = 0x54;
  public static final int VERSION = 1;
  public static final int TYPE_BATCH = 1;
  public static final int TYPE_ACK = 2;
  public static final int FLAG_DEFLATE = 1;

  /**
   * Largest payload, as it travels (after compression): 256 KiB, eight times a default uplink batch
   * of 5,000 responses (about 31 KB). The embedded brokers' maximum packet size is this plus room
   * for the MQTT header and topic.
   */
  public static final int MAX_MESSAGE_BYTES = 256 * 1024;

  /** Largest batch body accepted once inflated (a zip bomb stops here): 4 MiB. */
  public static final int MAX_INFLATED_BYTES = 4 * 1024 * 1024;

  /** Most records in one batch: twice the uplink's default batch size. */
  public static final int MAX_RECORDS = 10_000;

  /** Most distinct strings (a device id and an event id per record at most). */
  public static final int MAX_STRINGS = MAX_RECORDS * 2;

  private static final int MAX_ID_BYTES = 64;

  /** The fewest bytes a record takes: kind, two indexes, three deltas, body length. */
  private static final int MIN_RECORD_BYTES = 7;

  /** Header, sender id, batch id and the two counts, at their largest. */
  private static final int MAX_BATCH_OVERHEAD = 4 + 1 + MAX_ID_BYTES + 10 + 5 + 5;

  /** A record's bytes besides its body, at their largest (indexes, deltas, body length). */
  private static final int MAX_RECORD_OVERHEAD = 1 + 5 + 5 + 10 + 10 + 10 + 5;

  /** A payload and how many of the given records it holds (a prefix of them). */
  public record Encoded(byte[] payload, int records) {}

  private WireCodec() {}

  /**
   * Encodes a whole batch.
   *
   * @throws IllegalArgumentException if the batch goes past a limit; senders use {@link
   *     #encodeLeadingBatch}, which splits
   */
  public static byte[] encodeBatch(Batch batch) {
    if (batch.records().size() > MAX_RECORDS) {
      throw new IllegalArgumentException(
          "A batch of "
              + batch.records().size()
              + " records is past the limit of "
              + MAX_RECORDS
              + ": send it in parts with encodeLeadingBatch");
    }
    byte[] payload = payload(rawBody(batch));
    if (payload.length > MAX_MESSAGE_BYTES) {
      throw new IllegalArgumentException(
          "A batch encodes to "
              + payload.length
              + " bytes, past the limit of "
              + MAX_MESSAGE_BYTES
              + ": send it in parts with encodeLeadingBatch");
    }
    return payload;
  }

  /**
   * Encodes the longest leading part of {@code records} that fits every limit (at least one record:
   * a record's body is bounded by {@link Record#MAX_BODY_BYTES}, far below the limits). The caller
   * sends the rest in later batches.
   */
  public static Encoded encodeLeadingBatch(DeviceId sender, long batchId, List<Record> records) {
    if (records.isEmpty()) {
      throw new IllegalArgumentException("A batch needs at least one record");
    }
    int count = Math.min(records.size(), MAX_RECORDS);
    // A conservative size of the raw body, so that it never passes the inflated limit.
    long estimate = MAX_BATCH_OVERHEAD;
    for (int i = 0; i < count; i++) {
      Record record = records.get(i);
      estimate +=
          MAX_RECORD_OVERHEAD
              + record.body().length
              + 2L * (5 + MAX_ID_BYTES) // its device and event ids, if new to the batch
      ;
      if (estimate > MAX_INFLATED_BYTES) {
        count = Math.max(1, i);
        break;
      }
    }
    while (true) {
      List<Record> part = records.subList(0, count);
      byte[] payload = payload(rawBody(new Batch(sender, batchId, part)));
      if (payload.length <= MAX_MESSAGE_BYTES || count == 1) {
        return new Encoded(payload, count);
      }
      // Shrink in proportion, with a margin: compression is about even along a backlog.
      int next = (int) ((long) count * MAX_MESSAGE_BYTES * 9 / 10 / payload.length);
      count = Math.max(1, Math.min(next, count - 1));
    }
  }

  private static byte[] rawBody(Batch batch) {
    Map<String, Integer> strings = new LinkedHashMap<>();
    for (Record record : batch.records()) {
      strings.putIfAbsent(record.device().value(), strings.size());
      strings.putIfAbsent(record.eventId(), strings.size());
    }
    ByteWriter body = new ByteWriter(64 + batch.records().size() * 48);
    body.text(batch.sender().value()).varint(batch.batchId()).varint(strings.size());
    for (String s : strings.keySet()) {
      body.text(s);
    }
    body.varint(batch.records().size());
    long seq = 0;
    long deviceTime = 0;
    long hubTime = 0;
    for (Record record : batch.records()) {
      body.u8(record.kind().code())
          .varint(strings.get(record.device().value()))
          .varint(strings.get(record.eventId()))
          .zigzag(record.seq() - seq)
          .zigzag(record.deviceTime() - deviceTime)
          .zigzag(record.hubTime() - hubTime)
          .bytes(record.body());
      seq = record.seq();
      deviceTime = record.deviceTime();
      hubTime = record.hubTime();
    }
    return body.toByteArray();
  }

  private static byte[] payload(byte[] raw) {
    byte[] deflated = deflate(raw);
    boolean compress = deflated.length < raw.length;
    return new ByteWriter(4 + raw.length)
        .u8(MAGIC)
        .u8(VERSION)
        .u8(TYPE_BATCH)
        .u8(compress ? FLAG_DEFLATE : 0)
        .raw(compress ? deflated : raw)
        .toByteArray();
  }

  public static byte[] encodeAck(Ack ack) {
    ByteWriter out = new ByteWriter(16 + ack.upTo().size() * 24);
    out.u8(MAGIC).u8(VERSION).u8(TYPE_ACK).u8(0);
    out.text(ack.receiver().value()).varint(ack.batchId()).varint(ack.upTo().size());
    ack.upTo().forEach((device, upTo) -> out.text(device.value()).varint(upTo));
    return out.toByteArray();
  }

  /** Decodes one batch; a receiver of many keeps a {@link BatchDecoder} instead. */
  public static Batch decodeBatch(byte[] message) throws WireException {
    try (BatchDecoder decoder = new BatchDecoder()) {
      return decoder.decode(message);
    }
  }

  /**
   * Decodes batches one after another into the same inflater and buffer. A backlog's batch inflates
   * to about half a megabyte: a new buffer for each (grown by doubling, then trimmed) was several
   * of the collector's humongous objects a batch, and each of those could start a marking cycle
   * (decision 0060). The buffer keeps the size of the largest batch seen, at most {@link
   * #MAX_INFLATED_BYTES} and one byte. Records and texts decoded from it are copies, so it is
   * reused once {@link #decode} returns. One message at a time: {@link #decode} is synchronized.
   */
  public static final class BatchDecoder implements AutoCloseable {
    // Made at the first compressed message: a message sent uncompressed needs none.
    private Inflater inflater;
    private byte[] buffer = new byte[0];
    private boolean closed;

    public synchronized Batch decode(byte[] message) throws WireException {
      if (closed) {
        throw new IllegalStateException("batch decoder closed");
      }
      int flags = header(message, TYPE_BATCH);
      if ((flags & FLAG_DEFLATE) == 0) {
        return batch(new ByteReader(Arrays.copyOfRange(message, 4, message.length)));
      }
      int size = inflate(message); // grows the buffer: read the field after
      return batch(new ByteReader(buffer, size));
    }

    /**
     * Inflates the message's body into {@link #buffer}, grown by doubling but never past {@link
     * #MAX_INFLATED_BYTES} (plus one byte to see that there is more): a zip bomb is refused after
     * at most that much work and memory. Returns the body's size.
     */
    private int inflate(byte[] message) throws WireException {
      if (inflater == null) {
        inflater = new Inflater(true);
      } else {
        inflater.reset();
      }
      int deflated = message.length - 4;
      inflater.setInput(message, 4, deflated);
      if (buffer.length == 0) {
        buffer = new byte[Math.min(MAX_INFLATED_BYTES + 1, Math.max(1024, deflated * 4))];
      }
      int size = 0;
      try {
        while (!inflater.finished()) {
          if (size == buffer.length) {
            if (buffer.length > MAX_INFLATED_BYTES) {
              throw new WireLimitException(
                  Limit.INFLATED_BYTES,
                  MAX_INFLATED_BYTES,
                  "compressed body of "
                      + deflated
                      + " bytes inflates past "
                      + MAX_INFLATED_BYTES
                      + " bytes: refused");
            }
            buffer =
                Arrays.copyOf(buffer, (int) Math.min(MAX_INFLATED_BYTES + 1L, buffer.length * 2L));
          }
          int n = inflater.inflate(buffer, size, buffer.length - size);
          if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
            throw new WireException("compressed body is truncated");
          }
          size += n;
        }
      } catch (DataFormatException e) {
        throw new WireException("compressed body is corrupt: " + e.getMessage(), e);
      }
      if (size > MAX_INFLATED_BYTES) {
        throw new WireLimitException(
            Limit.INFLATED_BYTES,
            MAX_INFLATED_BYTES,
            "compressed body inflates to "
                + size
                + " bytes, past "
                + MAX_INFLATED_BYTES
                + " bytes: refused");
      }
      if (inflater.getRemaining() > 0) {
        throw new WireException(
            "compressed body has " + inflater.getRemaining() + " trailing bytes");
      }
      return size;
    }

    /** Frees the inflater's native memory, if one was made; {@link #decode} refuses afterwards. */
    @Override
    public synchronized void close() {
      closed = true;
      if (inflater != null) {
        inflater.end();
      }
    }
  }

  private static Batch batch(ByteReader in) throws WireException {
    DeviceId sender = id(in, "sender id");
    long batchId = in.varint("batch id");
    int stringCount = limited(in, "string count", Limit.STRINGS, MAX_STRINGS);
    plausible(in, "string count", stringCount, 1);
    List<String> strings = new ArrayList<>(Math.min(stringCount, 1024));
    for (int i = 0; i < stringCount; i++) {
      strings.add(in.text("string " + i, MAX_ID_BYTES));
    }
    Map<Integer, DeviceId> devices = new HashMap<>();
    int count = limited(in, "record count", Limit.RECORDS, MAX_RECORDS);
    plausible(in, "record count", count, MIN_RECORD_BYTES);
    List<Record> records = new ArrayList<>(Math.min(count, 4096));
    long[] last = new long[3]; // seq, device time, hub time: each record's are deltas to these
    for (int i = 0; i < count; i++) {
      in.within("record ", i);
      records.add(record(in, strings, devices, last));
    }
    in.within(null, 0);
    in.expectEnd("batch");
    return new Batch(sender, batchId, records);
  }

  /**
   * The next record of a batch: its fields named in messages as {@link ByteReader#within} says. One
   * method per record, apart from the batch's loop, so that the JIT compiles it once and early
   * (decision 0056).
   */
  private static Record record(
      ByteReader in, List<String> strings, Map<Integer, DeviceId> devices, long[] last)
      throws WireException {
    int kindCode = in.u8("kind");
    Optional<RecordKind> kind = RecordKind.fromCode(kindCode);
    if (kind.isEmpty()) {
      throw new WireException(in.name("has unknown kind code " + kindCode));
    }
    int deviceIndex = index(in, "device index", strings.size());
    DeviceId device = devices.get(deviceIndex);
    if (device == null) {
      String value = strings.get(deviceIndex);
      if (!DeviceId.isValid(value)) {
        throw new WireException(in.name("has invalid device id [" + value + "]"));
      }
      device = DeviceId.of(value);
      devices.put(deviceIndex, device);
    }
    String event = strings.get(index(in, "event index", strings.size()));
    long seq = last[0] += in.zigzag("seq");
    long deviceTime = last[1] += in.zigzag("device time");
    long hubTime = last[2] += in.zigzag("hub time");
    int bodyLength = limited(in, "body length", Limit.RECORD_BODY_BYTES, Record.MAX_BODY_BYTES);
    byte[] recordBody = in.fixed("body", bodyLength);
    if (seq < 1) {
      throw new WireException(in.name("has seq " + seq + "; seq starts at 1"));
    }
    return new Record(device, seq, kind.get(), event, deviceTime, hubTime, recordBody);
  }

  public static Ack decodeAck(byte[] message) throws WireException {
    ByteReader in = new ByteReader(body(message, TYPE_ACK));
    DeviceId receiver = id(in, "receiver id");
    long batchId = in.varint("batch id");
    int count = in.count("ack entry count", MAX_RECORDS);
    Map<DeviceId, Long> upTo = new HashMap<>();
    for (int i = 0; i < count; i++) {
      DeviceId device = id(in, "ack entry " + i + " device id");
      upTo.put(device, in.varint("ack entry " + i + " upTo"));
    }
    in.expectEnd("ack");
    return new Ack(receiver, batchId, upTo);
  }

  private static DeviceId id(ByteReader in, String field) throws WireException {
    String value = in.text(field, MAX_ID_BYTES);
    if (!DeviceId.isValid(value)) {
      throw new WireException(field + " [" + value + "] is not a valid id");
    }
    return DeviceId.of(value);
  }

  /** A count or length read and checked against a limit before anything is allocated. */
  private static int limited(ByteReader in, String field, Limit limit, int max)
      throws WireException {
    int at = in.position();
    long value = in.varint(field);
    if (value > max) {
      throw new WireLimitException(
          limit,
          max,
          in.name(field) + " at offset " + at + " is " + value + ", past the limit of " + max);
    }
    return (int) value;
  }

  /** A count whose items cannot all fit in the bytes left is refused before allocating. */
  private static void plausible(ByteReader in, String field, int count, int minItemBytes)
      throws WireException {
    if ((long) count * minItemBytes > in.remaining()) {
      throw new WireException(
          field
              + " announces "
              + count
              + " items but only "
              + in.remaining()
              + " bytes follow: truncated or forged");
    }
  }

  private static int index(ByteReader in, String field, int size) throws WireException {
    long value = in.varint(field);
    if (value >= size) {
      throw new WireException(
          in.name(field) + " " + value + " is out of range (" + size + " strings)");
    }
    return (int) value;
  }

  private static byte[] body(byte[] message, int expectedType) throws WireException {
    if ((header(message, expectedType) & FLAG_DEFLATE) == 0) {
      return Arrays.copyOfRange(message, 4, message.length);
    }
    try (BatchDecoder decoder = new BatchDecoder()) {
      int size = decoder.inflate(message); // grows the buffer: read the field after
      return Arrays.copyOf(decoder.buffer, size);
    }
  }

  /** Checks a message's four header bytes and returns its flags. */
  private static int header(byte[] message, int expectedType) throws WireException {
    if (message == null || message.length < 4) {
      throw new WireException(
          "message of " + (message == null ? 0 : message.length) + " bytes is too short");
    }
    if ((message[0] & 0xFF) != MAGIC) {
      throw new WireException(
          String.format(
              "message does not start with the Terrain magic byte 0x54 (found 0x%02X): not a"
                  + " Terrain payload",
              message[0] & 0xFF));
    }
    int version = message[1] & 0xFF;
    if (version != VERSION) {
      throw new WireException(
          "message format version "
              + version
              + " is not supported by this build (reads version "
              + VERSION
              + "): update Terrain on this machine");
    }
    int type = message[2] & 0xFF;
    if (type != expectedType) {
      throw new WireException(
          "message type " + type + " where type " + expectedType + " was expected");
    }
    if (message.length > MAX_MESSAGE_BYTES) {
      throw new WireLimitException(
          Limit.MESSAGE_BYTES,
          MAX_MESSAGE_BYTES,
          "message of " + message.length + " bytes is past the limit of " + MAX_MESSAGE_BYTES);
    }
    int flags = message[3] & 0xFF;
    if ((flags & ~FLAG_DEFLATE) != 0) {
      throw new WireException(String.format("message has unknown flags 0x%02X", flags));
    }
    return flags;
  }

  private static byte[] deflate(byte[] raw) {
    Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    try {
      deflater.setInput(raw);
      deflater.finish();
      ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length / 3 + 64);
      byte[] buffer = new byte[8192];
      while (!deflater.finished()) {
        out.write(buffer, 0, deflater.deflate(buffer));
      }
      return out.toByteArray();
    } finally {
      deflater.end();
    }
  }
}
