// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.workshop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import terrain.core.codec.WireException;
import terrain.core.record.DeviceId;
import terrain.core.record.RecordKind;
import terrain.core.rules.RecordRuleException;
import terrain.core.rules.RecordRules;

class WorkshopActionTest {
  static final ItemRef IDEA = new ItemRef(DeviceId.of("tablette-1"), 4);
  static final ItemRef GROUP = new ItemRef(DeviceId.of("tablette-anim"), 17);

  @Test
  void everyAction_decodesToItself() throws Exception {
    List<WorkshopAction> actions =
        List.of(
            new WorkshopAction.Control("idees", WorkshopAction.Command.START, 0),
            new WorkshopAction.Control("idees", WorkshopAction.Command.EXTEND, 300),
            new WorkshopAction.Idea("idees", 3, "ar", "مقاعد في الظل"),
            new WorkshopAction.NewGroup("groupes", ""),
            new WorkshopAction.Rename("groupes", GROUP, "Ombre et fraîcheur"),
            new WorkshopAction.Place("groupes", IDEA, Optional.of(GROUP)),
            new WorkshopAction.Place("groupes", IDEA, Optional.empty()),
            new WorkshopAction.Merge("groupes", GROUP, new ItemRef(DeviceId.of("t"), 1)),
            new WorkshopAction.Vote("vote", "p-0001", IDEA, 2),
            new WorkshopAction.Reveal("vote"),
            new WorkshopAction.Attend("accueil", "age-25-39", "saint-michel"));
    for (WorkshopAction action : actions) {
      byte[] body = action.encode();
      assertEquals(action, WorkshopAction.decode(body), action.toString());
      RecordRules.check(RecordKind.WORKSHOP, "atelier-parc", body);
    }
  }

  @Test
  void decode_refusesUnknownActionsTrailingBytesAndBadRefs() {
    byte[] idea = new WorkshopAction.Idea("idees", 1, "fr", "Un banc").encode();
    byte[] unknown = idea.clone();
    unknown[1] = 42;
    assertTrue(
        assertThrows(WireException.class, () -> WorkshopAction.decode(unknown))
            .getMessage()
            .contains("action 42 is unknown"));
    byte[] trailing = java.util.Arrays.copyOf(idea, idea.length + 1);
    assertThrows(WireException.class, () -> WorkshopAction.decode(trailing));
    byte[] badRef =
        new WorkshopAction.Rename("groupes", GROUP, "x").encode(); // device "tablette-anim"
    badRef[1 + 1 + 1 + "groupes".length() + 1] = ' '; // a space in the device id
    assertThrows(WireException.class, () -> WorkshopAction.decode(badRef));
  }

  @Test
  void rules_refuseAControlCharacterInAnIdea() {
    byte[] body = new WorkshopAction.Idea("idees", 1, "fr", "banc\u0000").encode();
    RecordRuleException e =
        assertThrows(
            RecordRuleException.class,
            () -> RecordRules.check(RecordKind.WORKSHOP, "atelier", body));
    assertTrue(e.getMessage().contains("U+0000"), e.getMessage());
  }

  @Test
  void itemRef_readsWhatItWrites() {
    assertEquals(GROUP, ItemRef.parse(GROUP.toString()));
    assertThrows(IllegalArgumentException.class, () -> ItemRef.parse("no-seq"));
    assertThrows(IllegalArgumentException.class, () -> ItemRef.parse("dev:x"));
  }
}
