// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.http;

/**
 * A TLS certificate or key file cannot be used; the message names the option, the file and what to
 * do.
 */
public final class TlsFileException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public TlsFileException(String message) {
    super(message);
  }

  public TlsFileException(String message, Throwable cause) {
    super(message, cause);
  }
}
