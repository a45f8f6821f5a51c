// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hardware.gpio;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.plugin.mock.platform.MockPlatform;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInputProvider;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutputProvider;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The light and the button on Pi4J's mock GPIO provider, the hold timed by a test clock. */
class GpioPanelTest {
  private final AtomicLong now = new AtomicLong(1_000_000);
  private final Clock clock =
      new Clock() {
        @Override
        public ZoneOffset getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return Instant.ofEpochMilli(now.get());
        }
      };
  private ScheduledExecutorService scheduler;
  private Context pi4j;
  private GpioPanel panel;

  @BeforeEach
  void start() {
    scheduler = Executors.newSingleThreadScheduledExecutor();
    pi4j =
        Pi4J.newContextBuilder()
            .add(new MockPlatform())
            .add(MockDigitalInputProvider.newInstance(), MockDigitalOutputProvider.newInstance())
            .build();
    panel =
        new GpioPanel(
            pi4j,
            MockDigitalInputProvider.ID,
            MockDigitalOutputProvider.ID,
            new GpioPins(List.of(17, 27), 22),
            scheduler,
            clock);
    // The mock line starts low; with the pull-up an idle button reads high.
    pi4j.<MockDigitalInput>io("button").mockState(DigitalState.HIGH);
  }

  @AfterEach
  void stop() {
    panel.close();
    scheduler.shutdownNow();
  }

  private DigitalState line(String id) {
    return pi4j.<DigitalOutput>io(id).state();
  }

  @Test
  void show_whenAmber_lightsRedAndGreen() {
    StatusLight light = panel.light().orElseThrow();

    light.show(LightSignal.AMBER);
    assertEquals(DigitalState.HIGH, line("light-red"));
    assertEquals(DigitalState.HIGH, line("light-green"));

    light.show(LightSignal.RED);
    assertEquals(DigitalState.HIGH, line("light-red"));
    assertEquals(DigitalState.LOW, line("light-green"));

    light.show(LightSignal.GREEN);
    assertEquals(DigitalState.LOW, line("light-red"));
    assertEquals(DigitalState.HIGH, line("light-green"));
  }

  @Test
  void show_whenBlinking_togglesGreenUntilToldOtherwise() {
    StatusLight light = panel.light().orElseThrow();

    light.show(LightSignal.GREEN_BLINKING);
    await().atMost(Duration.ofSeconds(3)).until(() -> line("light-green") == DigitalState.LOW);
    await().atMost(Duration.ofSeconds(3)).until(() -> line("light-green") == DigitalState.HIGH);
    assertEquals(DigitalState.LOW, line("light-red"));

    light.show(LightSignal.OFF);
    assertEquals(DigitalState.LOW, line("light-green"));
    assertEquals(LightSignal.OFF, light.shown());
  }

  @Test
  void button_whenPressedBriefly_reportsOneShortPressAndNoHold() {
    AtomicInteger shortPresses = new AtomicInteger();
    AtomicInteger holds = new AtomicInteger();
    panel.button().orElseThrow().listen(listener(shortPresses, holds));
    MockDigitalInput input = pi4j.io("button");

    input.mockState(DigitalState.LOW);
    now.addAndGet(400);
    input.mockState(DigitalState.HIGH);

    await().atMost(Duration.ofSeconds(2)).until(() -> shortPresses.get() == 1);
    assertEquals(0, holds.get());
  }

  @Test
  void button_whenHeldThreeSeconds_reportsTheHoldWhileHeldAndNoShortPress() {
    AtomicInteger shortPresses = new AtomicInteger();
    AtomicInteger holds = new AtomicInteger();
    panel.button().orElseThrow().listen(listener(shortPresses, holds));
    MockDigitalInput input = pi4j.io("button");

    input.mockState(DigitalState.LOW);
    now.addAndGet(2_900);
    assertEquals(0, holds.get(), "2.9 s is not a hold yet");
    now.addAndGet(100);
    await().atMost(Duration.ofSeconds(2)).until(() -> holds.get() == 1);
    input.mockState(DigitalState.HIGH);

    assertEquals(0, shortPresses.get());
    assertEquals(1, holds.get());
  }

  @Test
  void pins_whenWrong_sayWhichOptionAndWhy() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> GpioPins.parse("17,x", null));
    assertEquals(true, e.getMessage().contains("--light-pins [17,x]"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> GpioPins.parse("17,27", 27));
    assertEquals(true, e.getMessage().contains("--button-pin 27 is also a light line"));
    e = assertThrows(IllegalArgumentException.class, () -> GpioPins.parse("17", null));
    assertEquals(true, e.getMessage().contains("2 or 3 lines"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> GpioPins.parse("17,40", null));
    assertEquals(true, e.getMessage().contains("from 0 to 27"), e.getMessage());
    assertEquals(new GpioPins(List.of(17, 27, 5), 22), GpioPins.parse(" 17, 27,5", 22));
  }

  private static Button.Listener listener(AtomicInteger shortPresses, AtomicInteger holds) {
    return new Button.Listener() {
      @Override
      public void shortPress() {
        shortPresses.incrementAndGet();
      }

      @Override
      public void held() {
        holds.incrementAndGet();
      }
    };
  }
}
