// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.workshop;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import terrain.core.codec.ByteReader;
import terrain.core.codec.ByteWriter;
import terrain.core.codec.WireException;

/**
 * What one tablet did in a workshop: the body of a {@code WORKSHOP} record. The record's identity
 * {@code (device, seq)} names what an action creates (an idea, a group), so actions refer to each
 * other with {@link ItemRef}s and no tablet hands out ids.
 *
 * <pre>
 * u8      format version (1)
 * u8      action: 1 control, 2 idea, 3 new group, 4 rename, 5 place, 6 merge, 7 vote, 8 reveal,
 *         9 attend
 * text    phase id of the script the action belongs to (1 to 40 bytes)
 * ...     the action's fields, in the order of its record components; an {@link ItemRef} is a
 *         text device id then a varint seq, an optional one a u8 0 or 1 first
 * </pre>
 */
public sealed interface WorkshopAction {
  int VERSION = 1;

  /** Longest idea, in characters: a sticky note's worth. */
  int MAX_IDEA_CHARS = 280;

  /** Longest group title, in characters. */
  int MAX_TITLE_CHARS = 80;

  /** A participant's token: who placed dots, without saying who they are. */
  Pattern VOTER = Pattern.compile("[A-Za-z0-9_-]{4,32}");

  /** The phase of the script this action belongs to. */
  String phaseId();

  /** The facilitator drives the timer: every tablet and the projector follow it. */
  record Control(String phaseId, Command command, int seconds) implements WorkshopAction {
    public Control {
      requirePhase(phaseId);
      Objects.requireNonNull(command, "Control command must not be null");
      if (command == Command.EXTEND ? seconds < 1 || seconds > 3600 : seconds != 0) {
        throw new IllegalArgumentException(
            "Control seconds [" + seconds + "]: 1 to 3600 to extend, 0 otherwise");
      }
    }

    @Override
    public int code() {
      return 1;
    }

    @Override
    public void writeFields(ByteWriter out) {
      out.u8(command.ordinal() + 1).varint(seconds);
    }
  }

  /** The facilitator's commands. */
  enum Command {
    START,
    PAUSE,
    RESUME,
    EXTEND,
    FINISH
  }

  /** An idea typed or dictated at a table. */
  record Idea(String phaseId, int table, String language, String text) implements WorkshopAction {
    public Idea {
      requirePhase(phaseId);
      if (table < 1 || table > 99) {
        throw new IllegalArgumentException("Idea table [" + table + "] must be 1 to 99");
      }
      requireText("Idea language", language, 1, 8);
      requireText("Idea text", text, 1, MAX_IDEA_CHARS);
      if (text.isBlank()) {
        throw new IllegalArgumentException("Idea text must not be blank");
      }
    }

    @Override
    public int code() {
      return 2;
    }

    @Override
    public void writeFields(ByteWriter out) {
      out.varint(table).text(language).text(text);
    }
  }

  /** A new group on the projector view; its identity is this record's. */
  record NewGroup(String phaseId, String title) implements WorkshopAction {
    public NewGroup {
      requirePhase(phaseId);
      requireText("NewGroup title", title, 0, MAX_TITLE_CHARS);
    }

    @Override
    public int code() {
      return 3;
    }

    @Override
    public void writeFields(ByteWriter out) {
      out.text(title);
    }
  }

  /** A group's new name. */
  record Rename(String phaseId, ItemRef group, String title) implements WorkshopAction {
    public Rename {
      requirePhase(phaseId);
      Objects.requireNonNull(group, "Rename group must not be null");
      requireText("Rename title", title, 0, MAX_TITLE_CHARS);
    }

    @Override
    public int code() {
      return 4;
    }

    @Override
    public void writeFields(ByteWriter out) {
      group.write(out);
      out.text(title);
    }
  }

  /** An idea dragged into a group, or out of any (empty). The idea itself never changes. */
  record Place(String phaseId, ItemRef idea, Optional<ItemRef> group) implements WorkshopAction {
    public Place {
      requirePhase(phaseId);
      Objects.requireNonNull(idea, "Place idea must not be null");
      Objects.requireNonNull(group, "Place group must not be null (empty: ungrouped)");
    }

    @Override
    public int code() {
      return 5;
    }

    @Override
    public void writeFields(ByteWriter out) {
      idea.write(out);
      out.u8(group.isPresent() ? 1 : 0);
      group.ifPresent(g -> g.write(out));
    }
  }

  /** Every idea of {@code from} now shows in {@code into}; {@code from} stays in the history. */
  record Merge(String phaseId, ItemRef from, ItemRef into) implements WorkshopAction {
    public Merge {
      requirePhase(phaseId);
      Objects.requireNonNull(from, "Merge from must not be null");
      Objects.requireNonNull(into, "Merge into must not be null");
      if (from.equals(into)) {
        throw new IllegalArgumentException("Merge of group [" + from + "] into itself");
      }
    }

    @Override
    public int code() {
      return 6;
    }

    @Override
    public void writeFields(ByteWriter out) {
      from.write(out);
      into.write(out);
    }
  }

  /**
   * A participant's dots on an item (an idea or a group): sets, not adds, so a retry or a copy
   * changes nothing; 0 takes the dots back.
   */
  record Vote(String phaseId, String voter, ItemRef item, int dots) implements WorkshopAction {
    public Vote {
      requirePhase(phaseId);
      if (voter == null || !VOTER.matcher(voter).matches()) {
        throw new IllegalArgumentException(
            "Vote voter [" + voter + "] must be 4 to 32 letters, digits, '_' or '-'");
      }
      Objects.requireNonNull(item, "Vote item must not be null");
      if (dots < 0 || dots > 20) {
        throw new IllegalArgumentException("Vote dots [" + dots + "] must be 0 to 20");
      }
    }

    @Override
    public int code() {
      return 7;
    }

    @Override
    public void writeFields(ByteWriter out) {
      out.text(voter);
      item.write(out);
      out.varint(dots);
    }
  }

  /** The facilitator shows the vote's totals. */
  record Reveal(String phaseId) implements WorkshopAction {
    public Reveal {
      requirePhase(phaseId);
    }

    @Override
    public int code() {
      return 8;
    }

    @Override
    public void writeFields(ByteWriter out) {
      // the phase id says it all
    }
  }

  /** One person counted at the door, anonymously; an empty band or neighbourhood: not said. */
  record Attend(String phaseId, String ageBand, String neighbourhood) implements WorkshopAction {
    public Attend {
      requirePhase(phaseId);
      requireText("Attend ageBand", ageBand, 0, 40);
      requireText("Attend neighbourhood", neighbourhood, 0, 40);
    }

    @Override
    public int code() {
      return 9;
    }

    @Override
    public void writeFields(ByteWriter out) {
      out.text(ageBand).text(neighbourhood);
    }
  }

  /** The action's number on the wire. */
  int code();

  /** Writes the fields after the phase id. */
  void writeFields(ByteWriter out);

  /** The record body. */
  default byte[] encode() {
    ByteWriter out = new ByteWriter(32).u8(VERSION).u8(code()).text(phaseId());
    writeFields(out);
    return out.toByteArray();
  }

  /** Reads a WORKSHOP record body from untrusted bytes. */
  static WorkshopAction decode(byte[] body) throws WireException {
    ByteReader in = new ByteReader(body);
    int version = in.u8("workshop version");
    if (version != VERSION) {
      throw new WireException(
          "workshop format version " + version + " is not supported (this build reads 1)");
    }
    int code = in.u8("workshop action");
    String phase = in.text("workshop phase id", 40);
    WorkshopAction action;
    try {
      action =
          switch (code) {
            case 1 -> {
              int command = in.u8("workshop command");
              if (command < 1 || command > Command.values().length) {
                throw new WireException("workshop command " + command + " is unknown");
              }
              yield new Control(phase, Command.values()[command - 1], count(in, "seconds"));
            }
            case 2 ->
                new Idea(
                    phase,
                    count(in, "table"),
                    in.text("workshop idea language", 8),
                    in.text("workshop idea text", MAX_IDEA_CHARS * 4));
            case 3 -> new NewGroup(phase, in.text("workshop group title", MAX_TITLE_CHARS * 4));
            case 4 ->
                new Rename(
                    phase,
                    ItemRef.read(in, "workshop group"),
                    in.text("workshop group title", MAX_TITLE_CHARS * 4));
            case 5 -> {
              ItemRef idea = ItemRef.read(in, "workshop idea");
              int present = in.u8("workshop group present");
              if (present > 1) {
                throw new WireException("workshop group present is " + present + ", not 0 or 1");
              }
              yield new Place(
                  phase,
                  idea,
                  present == 1
                      ? Optional.of(ItemRef.read(in, "workshop group"))
                      : Optional.empty());
            }
            case 6 ->
                new Merge(
                    phase, ItemRef.read(in, "workshop from"), ItemRef.read(in, "workshop into"));
            case 7 ->
                new Vote(
                    phase,
                    in.text("workshop voter", 32),
                    ItemRef.read(in, "workshop item"),
                    count(in, "dots"));
            case 8 -> new Reveal(phase);
            case 9 ->
                new Attend(
                    phase, in.text("workshop age band", 40), in.text("workshop neighbourhood", 40));
            default -> throw new WireException("workshop action " + code + " is unknown");
          };
    } catch (IllegalArgumentException e) {
      throw new WireException("workshop action is invalid: " + e.getMessage());
    }
    in.expectEnd("workshop action");
    return action;
  }

  private static int count(ByteReader in, String field) throws WireException {
    long value = in.varint("workshop " + field);
    if (value > 100_000) {
      throw new WireException("workshop " + field + " " + value + " is out of range");
    }
    return (int) value;
  }

  private static void requirePhase(String phaseId) {
    if (phaseId == null
        || phaseId.isEmpty()
        || phaseId.getBytes(StandardCharsets.UTF_8).length > 40) {
      throw new IllegalArgumentException("phase id [" + phaseId + "] must be 1 to 40 bytes");
    }
  }

  private static void requireText(String field, String value, int min, int maxChars) {
    Objects.requireNonNull(value, field + " must not be null");
    int chars = value.codePointCount(0, value.length());
    if (chars < min || chars > maxChars) {
      throw new IllegalArgumentException(
          field + " has " + chars + " characters; " + min + " to " + maxChars + " allowed");
    }
  }
}
