// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub.panel;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import terrain.hardware.gpio.GpioPanel;
import terrain.hardware.gpio.GpioPins;
import terrain.hardware.gpio.LightSignal;
import terrain.store.StoreException;

/** The hub's state on the light, and the button's presses, on Pi4J's mock GPIO. */
class HubPanelTest {
  private final AtomicLong now = new AtomicLong(5_000_000);
  private final Clock clock =
      new Clock() {
        @Override
        public ZoneOffset getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return Instant.ofEpochMilli(now.get());
        }
      };
  private final AtomicReference<Object> state =
      new AtomicReference<>(new HubCondition(true, 0, null));
  private final AtomicInteger slips = new AtomicInteger();
  private final AtomicInteger shutdowns = new AtomicInteger();
  private ScheduledExecutorService scheduler;
  private Context pi4j;
  private GpioPanel gpio;
  private HubPanel panel;

  @BeforeEach
  void start() {
    scheduler = Executors.newSingleThreadScheduledExecutor();
    pi4j =
        Pi4J.newContextBuilder()
            .add(new MockPlatform())
            .add(MockDigitalInputProvider.newInstance(), MockDigitalOutputProvider.newInstance())
            .build();
    gpio =
        new GpioPanel(
            pi4j,
            MockDigitalInputProvider.ID,
            MockDigitalOutputProvider.ID,
            new GpioPins(List.of(17, 27), 22),
            scheduler,
            clock);
    pi4j.<MockDigitalInput>io("button").mockState(DigitalState.HIGH);
    panel =
        new HubPanel(
            gpio.light().orElseThrow(),
            gpio.button().orElseThrow(),
            () -> {
              if (state.get() instanceof StoreException e) {
                throw e;
              }
              return (HubCondition) state.get();
            },
            slips::incrementAndGet,
            shutdowns::incrementAndGet,
            Runnable::run);
  }

  @AfterEach
  void stop() {
    gpio.close();
    scheduler.shutdownNow();
  }

  private DigitalState line(String id) {
    return pi4j.<DigitalOutput>io(id).state();
  }

  @Test
  void refresh_followsTheHubsState() {
    state.set(new HubCondition(true, 0, null));
    panel.refresh();
    assertEquals(LightSignal.GREEN, gpio.light().orElseThrow().shown());
    assertEquals(DigitalState.LOW, line("light-red"));
    assertEquals(DigitalState.HIGH, line("light-green"));

    state.set(new HubCondition(false, 12, null));
    panel.refresh();
    assertEquals(LightSignal.AMBER, gpio.light().orElseThrow().shown(), "uplink down: amber");
    assertEquals(DigitalState.HIGH, line("light-red"));
    assertEquals(DigitalState.HIGH, line("light-green"));

    state.set(new HubCondition(true, 12, null));
    panel.refresh();
    assertEquals(LightSignal.GREEN_BLINKING, gpio.light().orElseThrow().shown());
    await().atMost(Duration.ofSeconds(3)).until(() -> line("light-green") == DigitalState.LOW);
    await().atMost(Duration.ofSeconds(3)).until(() -> line("light-green") == DigitalState.HIGH);

    state.set(new HubCondition(true, 12, "disk 95 % used"));
    panel.refresh();
    assertEquals(LightSignal.RED, gpio.light().orElseThrow().shown(), "fault: red");
    assertEquals(DigitalState.HIGH, line("light-red"));
    assertEquals(DigitalState.LOW, line("light-green"));
  }

  @Test
  void refresh_whenTheStoreFails_showsRed() {
    state.set(new StoreException("reading the frontier", null));
    panel.refresh();
    assertEquals(LightSignal.RED, gpio.light().orElseThrow().shown());
  }

  @Test
  void button_shortPressPrintsASlipAndAThreeSecondHoldShutsDown() {
    MockDigitalInput button = pi4j.io("button");

    button.mockState(DigitalState.LOW);
    now.addAndGet(300);
    button.mockState(DigitalState.HIGH);
    await().atMost(Duration.ofSeconds(2)).until(() -> slips.get() == 1);
    assertEquals(0, shutdowns.get());

    button.mockState(DigitalState.LOW);
    now.addAndGet(3_000);
    await().atMost(Duration.ofSeconds(2)).until(() -> shutdowns.get() == 1);
    button.mockState(DigitalState.HIGH);
    assertEquals(1, slips.get(), "the hold's release prints nothing");
  }
}
