// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui;

/** The text size a resident picked with the switch on every screen; {@code kiosk.css} sizes it. */
enum TextSize {
  NORMAL("text-normal"),
  LARGE("text-large"),
  EXTRA_LARGE("text-extra-large");

  private final String styleClass;

  TextSize(String styleClass) {
    this.styleClass = styleClass;
  }

  /** The style class on the kiosk's root node. */
  public String styleClass() {
    return styleClass;
  }

  /** The next size of the switch, back to normal after the largest. */
  public TextSize next() {
    return values()[(ordinal() + 1) % values().length];
  }
}
