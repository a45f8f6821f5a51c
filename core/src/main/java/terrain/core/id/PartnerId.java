// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.id;

/**
 * The id of a partner where briqs are spent (the pool, the theatre), as the server is configured
 * ({@code piscine}). It is also the name of its ledger account.
 */
public record PartnerId(String value) implements Comparable<PartnerId> {

  public PartnerId {
    Slug.check("Partner id", value);
  }

  public static PartnerId of(String value) {
    return new PartnerId(value);
  }

  public static boolean isValid(String value) {
    return Slug.isValid(value);
  }

  @Override
  public int compareTo(PartnerId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
