// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hardware.printer;

import java.util.Objects;

/**
 * What a receipt printer says of itself, decoded from its answers to the ESC/POS real-time status
 * queries {@code DLE EOT n} (n = 1 printer, 2 offline cause, 3 error cause, 4 roll paper sensor).
 * Front ends turn each case into words for staff ("Plus de papier"); {@link #code()} is the short
 * English name the kiosk reports to the hub.
 */
public sealed interface PrinterStatus {

  /** Short, stable name: {@code ready}, {@code paper-near-end}, {@code paper-out}, ... */
  String code();

  /** Whether a ticket sent now would come out whole. */
  default boolean canPrint() {
    return this instanceof Ready || this instanceof PaperNearEnd;
  }

  /** Online, paper in, cover closed. */
  record Ready() implements PrinterStatus {
    @Override
    public String code() {
      return "ready";
    }
  }

  /** Prints, but the roll is nearly finished: staff should change it soon. */
  record PaperNearEnd() implements PrinterStatus {
    @Override
    public String code() {
      return "paper-near-end";
    }
  }

  /** No paper: nothing prints until a roll is put in. */
  record PaperOut() implements PrinterStatus {
    @Override
    public String code() {
      return "paper-out";
    }
  }

  /** The cover is open. */
  record CoverOpen() implements PrinterStatus {
    @Override
    public String code() {
      return "cover-open";
    }
  }

  /**
   * The printer says it is offline for another reason: a cutter jam, an overheated head, a button
   * held.
   *
   * @param detail which bits said so, for the log
   */
  record Offline(String detail) implements PrinterStatus {
    public Offline {
      Objects.requireNonNull(detail, "Offline detail must not be null");
    }

    @Override
    public String code() {
      return "offline";
    }
  }

  /**
   * The printer cannot be reached or does not answer: unplugged, switched off, wrong address.
   *
   * @param detail what failed, for the log
   */
  record NoAnswer(String detail) implements PrinterStatus {
    public NoAnswer {
      Objects.requireNonNull(detail, "NoAnswer detail must not be null");
    }

    @Override
    public String code() {
      return "no-answer";
    }
  }

  /** {@code DLE EOT 1}: printer status. */
  int PRINTER = 1;

  /** {@code DLE EOT 2}: offline cause. */
  int OFFLINE_CAUSE = 2;

  /** {@code DLE EOT 3}: error cause. */
  int ERROR_CAUSE = 3;

  /** {@code DLE EOT 4}: roll paper sensor. */
  int PAPER_SENSOR = 4;

  /**
   * Decodes the four status bytes. Every answer has bits 1 and 4 set and bits 0 and 7 clear; a byte
   * without that frame is not a status (the printer speaks another protocol, or the line is noisy)
   * and gives {@link NoAnswer}.
   *
   * <ul>
   *   <li>printer (n = 1): bit 3 offline;
   *   <li>offline cause (n = 2): bit 2 cover open, bit 5 stopped at paper end, bit 6 error;
   *   <li>error cause (n = 3): bit 3 cutter error, bit 5 unrecoverable, bit 6 auto-recoverable;
   *   <li>paper sensor (n = 4): bits 2-3 near end, bits 5-6 paper out.
   * </ul>
   */
  static PrinterStatus decode(int printer, int offlineCause, int errorCause, int paperSensor) {
    int[] answers = {printer, offlineCause, errorCause, paperSensor};
    for (int i = 0; i < answers.length; i++) {
      if (!framed(answers[i])) {
        return new NoAnswer(
            "the answer to DLE EOT "
                + (i + 1)
                + " is 0x"
                + Integer.toHexString(answers[i])
                + ", not a status byte (bits 1 and 4 set, 0 and 7 clear): is this an ESC/POS"
                + " printer?");
      }
    }
    if ((paperSensor & 0x60) != 0 || (offlineCause & 0x20) != 0) {
      return new PaperOut();
    }
    if ((offlineCause & 0x04) != 0) {
      return new CoverOpen();
    }
    if ((printer & 0x08) != 0 || (offlineCause & 0x40) != 0 || (errorCause & 0x68) != 0) {
      return new Offline(
          String.format(
              "status bytes printer 0x%02x, offline cause 0x%02x, error cause 0x%02x",
              printer, offlineCause, errorCause));
    }
    if ((paperSensor & 0x0C) != 0) {
      return new PaperNearEnd();
    }
    return new Ready();
  }

  /** Whether {@code b} has the fixed bits of a {@code DLE EOT} answer. */
  static boolean framed(int b) {
    return b >= 0 && b <= 0xFF && (b & 0x93) == 0x12;
  }
}
