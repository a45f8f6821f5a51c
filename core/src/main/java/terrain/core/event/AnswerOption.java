// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.event;

import java.util.Objects;

/**
 * One answer a resident can pick.
 *
 * @param id unique within its question; 1 to 40 lowercase letters a-z, digits or dashes
 * @param label what the kiosk shows
 */
public record AnswerOption(String id, LocalizedText label) {

  public AnswerOption {
    Ids.require("AnswerOption id", id);
    Objects.requireNonNull(label, "AnswerOption label must not be null");
  }

  public static AnswerOption of(String id, String fr, String en) {
    return new AnswerOption(id, LocalizedText.of(fr, en));
  }
}
