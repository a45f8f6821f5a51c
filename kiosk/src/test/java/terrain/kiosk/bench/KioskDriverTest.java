// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class KioskDriverTest {
  @Test
  void countsOnlyTheOpenGlLibrariesResidentMemory() {
    // Lines as a kiosk's /proc/PID/smaps on Xvfb with the GPU default (decision 0047).
    Stream<String> smaps =
        Stream.of(
            "7f1c00000000-7f1c04000000 r-xp 00000000 08:01 1234 "
                + "/usr/lib/x86_64-linux-gnu/libLLVM-15.so.1",
            "Size:              65536 kB",
            "Rss:               44272 kB",
            "Pss:               22136 kB",
            "VmFlags: rd ex mr mw me sd",
            "7f1c05000000-7f1c05800000 r-xp 00000000 08:01 1235 "
                + "/usr/lib/x86_64-linux-gnu/dri/swrast_dri.so",
            "Rss:                6404 kB",
            "7f1c06000000-7f1c06100000 r-xp 00000000 08:01 1236 "
                + "/usr/lib/x86_64-linux-gnu/libGLX_mesa.so.0.0.0",
            "Rss:                 300 kB",
            "7f1c07000000-7f1c08000000 rw-p 00000000 00:00 0 ",
            "Rss:               16384 kB",
            "7f1c09000000-7f1c0a000000 r-xp 00000000 08:01 1237 "
                + "/usr/lib/x86_64-linux-gnu/libgtk-3.so.0.2406.32",
            "Rss:                4108 kB",
            "7f1c0b000000-7f1c0d000000 rw-s 00000000 00:01 31  /SYSV00000000 (deleted)",
            "Rss:               20000 kB");

    assertEquals(44272 + 6404 + 300, KioskDriver.openGlKb(smaps));
  }

  @Test
  void readsThisProcessWithoutOpenGl() {
    // A test JVM loads no OpenGL library: its own smaps parses, to nothing.
    long kb = KioskDriver.openGlKb();
    assertTrue(kb == 0, "OpenGL libraries in a test JVM: " + kb + " kB");
  }
}
