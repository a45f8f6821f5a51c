// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Staff passwords hashed with Argon2id (RFC 9106) by Bouncy Castle's {@link Argon2BytesGenerator},
 * written as a PHC string {@code $argon2id$v=19$m=47104,t=1,p=1$SALT$HASH} (unpadded standard
 * base64) so that each hash carries its own parameters: {@link #DEFAULT} can be raised later and
 * older hashes still verify ({@link #needsRehash} tells when to store a new one at sign-in).
 * Comparison is in constant time. At most {@value #CONCURRENT} hashes of one hasher run at once
 * (the server has one), so a burst of sign-ins cannot take more than {@code CONCURRENT * m} KiB of
 * memory. Decision 0037 has the measurement behind the parameters.
 */
public final class PasswordHash {
  /** Argon2 cost: memory in KiB, passes, lanes. */
  public record Params(int memoryKiB, int iterations, int parallelism) {
    public Params {
      if (memoryKiB < 8 * parallelism || memoryKiB > 1 << 21) {
        throw new IllegalArgumentException(
            "Argon2 memory [" + memoryKiB + " KiB] must be 8*p to 2 GiB");
      }
      if (iterations < 1 || iterations > 100) {
        throw new IllegalArgumentException("Argon2 iterations [" + iterations + "] must be 1-100");
      }
      if (parallelism < 1 || parallelism > 16) {
        throw new IllegalArgumentException("Argon2 parallelism [" + parallelism + "] must be 1-16");
      }
    }

    boolean weakerThan(Params other) {
      return memoryKiB < other.memoryKiB
          || iterations < other.iterations
          || parallelism < other.parallelism;
    }
  }

  /**
   * 46 MiB, one pass, one lane: OWASP's first Argon2id setting; about 0.1 s on the development
   * machine under load (decision 0037).
   */
  public static final Params DEFAULT = new Params(47_104, 1, 1);

  /** Hashes computed at once at most; the others wait their turn. */
  static final int CONCURRENT = 2;

  /** The shortest password accepted for a staff account. */
  public static final int MIN_LENGTH = 12;

  /** The longest password accepted (characters). */
  public static final int MAX_LENGTH = 200;

  private static final int SALT_BYTES = 16;
  private static final int HASH_BYTES = 32;
  private static final Pattern PHC =
      Pattern.compile(
          "\\$argon2id\\$v=19\\$m=(\\d{1,7}),t=(\\d{1,3}),p=(\\d{1,2})\\$([A-Za-z0-9+/]{11,64})"
              + "\\$([A-Za-z0-9+/]{22,128})");
  private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
  private final Semaphore running = new Semaphore(CONCURRENT, true);
  private final Params params;
  private final SecureRandom random;

  public PasswordHash(Params params, SecureRandom random) {
    this.params = params;
    this.random = random;
  }

  /** Why {@code password} cannot be a staff password, or empty when it can. */
  public static Optional<String> problem(String password) {
    if (password == null || password.codePointCount(0, password.length()) < MIN_LENGTH) {
      return Optional.of("the password must have " + MIN_LENGTH + " characters or more");
    }
    if (password.length() > MAX_LENGTH) {
      return Optional.of("the password must have " + MAX_LENGTH + " characters at most");
    }
    return Optional.empty();
  }

  /** A new PHC string for {@code password}, with a fresh random salt. */
  public String hash(String password) {
    byte[] salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
    byte[] hash = argon2(password, salt, params, HASH_BYTES);
    return "$argon2id$v=19$m="
        + params.memoryKiB()
        + ",t="
        + params.iterations()
        + ",p="
        + params.parallelism()
        + "$"
        + B64.encodeToString(salt)
        + "$"
        + B64.encodeToString(hash);
  }

  /**
   * True when {@code password} hashes to {@code phc} (compared in constant time); false for a
   * malformed string.
   */
  public boolean verify(String phc, String password) {
    if (password == null || password.length() > MAX_LENGTH) {
      return false;
    }
    Optional<Parsed> parsed = parse(phc);
    if (parsed.isEmpty()) {
      return false;
    }
    Parsed p = parsed.get();
    byte[] computed = argon2(password, p.salt(), p.params(), p.hash().length);
    return MessageDigest.isEqual(computed, p.hash());
  }

  /** True when {@code phc} was made with weaker parameters than this hasher's (or is malformed). */
  public boolean needsRehash(String phc) {
    return parse(phc).map(p -> p.params().weakerThan(params)).orElse(true);
  }

  /** The parameters of a PHC string, or empty when it is not an Argon2id one. */
  public static Optional<Params> params(String phc) {
    return parse(phc).map(Parsed::params);
  }

  private record Parsed(Params params, byte[] salt, byte[] hash) {}

  private static Optional<Parsed> parse(String phc) {
    if (phc == null) {
      return Optional.empty();
    }
    Matcher m = PHC.matcher(phc);
    if (!m.matches()) {
      return Optional.empty();
    }
    try {
      Params params =
          new Params(
              Integer.parseInt(m.group(1)),
              Integer.parseInt(m.group(2)),
              Integer.parseInt(m.group(3)));
      return Optional.of(
          new Parsed(
              params,
              Base64.getDecoder().decode(m.group(4)),
              Base64.getDecoder().decode(m.group(5))));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private byte[] argon2(String password, byte[] salt, Params params, int length) {
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(
        new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
            .withVersion(Argon2Parameters.ARGON2_VERSION_13)
            .withMemoryAsKB(params.memoryKiB())
            .withIterations(params.iterations())
            .withParallelism(params.parallelism())
            .withSalt(salt)
            .build());
    byte[] out = new byte[length];
    byte[] bytes = password.getBytes(StandardCharsets.UTF_8);
    running.acquireUninterruptibly();
    try {
      generator.generateBytes(bytes, out);
    } finally {
      running.release();
      java.util.Arrays.fill(bytes, (byte) 0);
    }
    return out;
  }
}
