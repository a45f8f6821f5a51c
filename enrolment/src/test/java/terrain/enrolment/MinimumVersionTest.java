// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.enrolment;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MinimumVersionTest {

  @Test
  void olderThan_comparesDottedNumbersPartByPart() {
    assertTrue(EnrolledDevice.olderThan("0.1.0", "0.2.0"));
    assertTrue(EnrolledDevice.olderThan("0.9.9", "0.10"));
    assertTrue(EnrolledDevice.olderThan("1.2", "1.2.1"));
    assertFalse(EnrolledDevice.olderThan("0.1.0", "0.1.0"));
    assertFalse(EnrolledDevice.olderThan("0.1.0-SNAPSHOT", "0.1"));
    assertFalse(EnrolledDevice.olderThan("1.10.0", "1.9.3"));
  }

  @Test
  void olderThan_whenTheMinimumIsNotADottedNumber_enforcesNothing() {
    assertFalse(EnrolledDevice.olderThan("0.1.0", "latest"));
    assertFalse(EnrolledDevice.olderThan("dev", "0.1.0"));
  }
}
