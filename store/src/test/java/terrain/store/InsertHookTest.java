// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import terrain.core.record.Record;
import terrain.core.record.ResponseBodies;

/**
 * {@link RecordStore.InsertHook#all}: the hooks in order, on the same bodies, statements joined.
 */
class InsertHookTest {
  @Test
  void all_runsEachHookInOrderOnTheSameBodies_andJoinsTheirStatements() throws Exception {
    List<String> calls = new ArrayList<>();
    List<ResponseBodies> seen = new ArrayList<>();
    RecordStore.InsertHook first = hook("first", List.of("SELECT 1"), calls, seen);
    RecordStore.InsertHook second = hook("second", List.of("SELECT 2", "SELECT 3"), calls, seen);
    RecordStore.InsertHook both = RecordStore.InsertHook.all(List.of(first, second));
    ResponseBodies bodies = new ResponseBodies();

    both.inserted(null, List.of(), bodies);

    assertEquals(List.of("first", "second"), calls);
    assertSame(bodies, seen.get(0));
    assertSame(bodies, seen.get(1));
    assertEquals(List.of("SELECT 1", "SELECT 2", "SELECT 3"), both.statements());
  }

  private static RecordStore.InsertHook hook(
      String name, List<String> statements, List<String> calls, List<ResponseBodies> seen) {
    return new RecordStore.InsertHook() {
      @Override
      public void inserted(Connection connection, List<Record> inserted) {
        throw new AssertionError("the bodies' variant is the one called");
      }

      @Override
      public void inserted(Connection connection, List<Record> inserted, ResponseBodies bodies) {
        calls.add(name);
        seen.add(bodies);
      }

      @Override
      public List<String> statements() {
        return statements;
      }
    };
  }
}
