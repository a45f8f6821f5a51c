// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.id;

import java.util.regex.Pattern;

/**
 * The id of a citizen's anonymous wallet, made by the server: {@code w} and 24 lowercase hex digits
 * (12 random bytes). It names the wallet's ledger account; unlike the wallet's token, it is not a
 * secret.
 */
public record WalletId(String value) implements Comparable<WalletId> {
  private static final Pattern VALID = Pattern.compile("w[0-9a-f]{24}");

  public WalletId {
    if (value == null || !VALID.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "Wallet id [" + value + "] must be \"w\" followed by 24 lowercase hex digits 0-9a-f");
    }
  }

  public static WalletId of(String value) {
    return new WalletId(value);
  }

  public static boolean isValid(String value) {
    return value != null && VALID.matcher(value).matches();
  }

  @Override
  public int compareTo(WalletId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
