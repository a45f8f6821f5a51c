// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.fuzz;

import java.io.ByteArrayOutputStream;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * One edit of a byte array, as a mutation fuzzer makes them: positions and values are taken modulo
 * the input, so any list of edits applies to any input and shrinks towards fewer, smaller ones.
 *
 * @param op what to do: 0 flip a bit, 1 set an interesting byte, 2 insert, 3 delete a range, 4
 *     duplicate a range, 5 truncate, 6 set a random byte
 */
public record Mutation(int op, int position, int value) {
  private static final int[] INTERESTING = {0x00, 0x01, 0x7F, 0x80, 0xFF, 0xFE, 0x40, 0x3F, 0x54};

  /** One to {@code max} edits. */
  public static Arbitrary<List<Mutation>> lists(int max) {
    Arbitrary<Mutation> one =
        Combinators.combine(
                Arbitraries.integers().between(0, 6),
                Arbitraries.integers().between(0, Integer.MAX_VALUE),
                Arbitraries.integers().between(0, 255))
            .as(Mutation::new);
    return one.list().ofMinSize(1).ofMaxSize(max);
  }

  /** {@code input} with every edit applied in order. */
  public static byte[] apply(byte[] input, List<Mutation> edits) {
    byte[] out = input;
    for (Mutation edit : edits) {
      out = edit.apply(out);
    }
    return out;
  }

  byte[] apply(byte[] in) {
    int n = in.length;
    if (n == 0) {
      return op == 2 ? new byte[] {(byte) value} : in;
    }
    int at = position % n;
    byte[] out;
    switch (op) {
      case 0 -> {
        out = in.clone();
        out[at] ^= (byte) (1 << (value & 7));
      }
      case 1 -> {
        out = in.clone();
        out[at] = (byte) INTERESTING[value % INTERESTING.length];
      }
      case 2 -> {
        ByteArrayOutputStream b = new ByteArrayOutputStream(n + 8);
        b.write(in, 0, at);
        for (int i = 0; i <= value % 8; i++) {
          b.write(value + i);
        }
        b.write(in, at, n - at);
        out = b.toByteArray();
      }
      case 3 -> {
        int length = Math.min(n - at, 1 + value % 16);
        ByteArrayOutputStream b = new ByteArrayOutputStream(n);
        b.write(in, 0, at);
        b.write(in, at + length, n - at - length);
        out = b.toByteArray();
      }
      case 4 -> {
        int length = Math.min(n - at, 1 + value % 64);
        ByteArrayOutputStream b = new ByteArrayOutputStream(n + length);
        b.write(in, 0, at + length);
        b.write(in, at, n - at);
        out = b.toByteArray();
      }
      case 5 -> {
        out = java.util.Arrays.copyOf(in, at);
      }
      default -> {
        out = in.clone();
        out[at] = (byte) value;
      }
    }
    return out;
  }
}
