// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.simulate;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import terrain.core.event.AnswerOption;
import terrain.core.event.EventDefinition;
import terrain.core.event.EventFileException;
import terrain.core.event.EventLoader;
import terrain.core.event.ProfileSettings;
import terrain.core.event.WorkshopPhase;
import terrain.core.event.WorkshopScript;
import terrain.core.record.Record;
import terrain.core.record.RecordKind;
import terrain.core.workshop.ItemRef;
import terrain.core.workshop.WorkshopAction;
import terrain.core.workshop.WorkshopState;
import terrain.kiosk.session.KioskEngine;
import terrain.kiosk.sync.StatusReport;
import terrain.kiosk.sync.SyncAgent;
import terrain.store.StoreException;
import terrain.transport.MqttCredentials;

/**
 * {@code ./terrain simulate --workshop}: a workshop room in one process. Tablet 1 is the
 * facilitator's, tablets 2..T sit on the tables; each has its own database under DIR/tablet-i and
 * sends its WORKSHOP records to the hub like a kiosk. The run goes through the script's phases: the
 * door counts P participants, the tables send I ideas, the facilitator groups them (and merges two
 * groups), every participant places D dots on a table's tablet, the facilitator reveals and
 * finishes; then it waits until the hub has acknowledged every record and prints, last, {@code
 * workshop: I ideas, G groups, P*D votes, acked N of N} from the fold of what the tablets hold.
 */
@Command(
    name = "simulate --workshop",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Runs a workshop on T simulated tablets (tablet 1 the facilitator's) against a field hub,",
      "seeded, then waits until the hub has acknowledged everything. The event file must have a",
      "workshop: section. DIR must be new or hold an earlier complete run (then nothing is",
      "recorded again and the run only waits for the acks).",
      "Exit 2: bad arguments or event file. Exit 1: a database failure."
    })
final class SimulateWorkshop implements Callable<Integer> {
  @Option(names = "--hub", required = true, paramLabel = "URL", description = "The hub's MQTT.")
  String hub;

  @Option(names = "--event", required = true, paramLabel = "FILE", description = "Event file.")
  Path eventFile;

  @Option(names = "--data", required = true, paramLabel = "DIR", description = "Tablets' data.")
  Path data;

  @Option(names = "--tablets", required = true, paramLabel = "T", description = "2 to 31.")
  int tablets;

  @Option(names = "--participants", required = true, paramLabel = "P", description = "1 to 500.")
  int participants;

  @Option(names = "--ideas", required = true, paramLabel = "I", description = "1 to 2000.")
  int ideas;

  @Option(
      names = "--dots",
      required = true,
      paramLabel = "D",
      description = "Dots each participant places, at most the vote's dots.")
  int dots;

  @Option(names = "--seed", paramLabel = "S", description = "Default: ${DEFAULT-VALUE}.")
  long seed = 1;

  @Option(
      names = "--hub-of",
      paramLabel = "K=URL",
      description = {
        "Tablet K reaches the hub at URL instead (repeatable), e.g. through a relay that a test",
        "cuts to take that tablet off the Wi-Fi."
      })
  Map<Integer, String> hubOf = new LinkedHashMap<>();

  @Option(
      names = "--pace",
      paramLabel = "MS",
      description = "Wait MS milliseconds after each action, as people do (default 0).")
  long paceMillis;

  @Option(
      names = "--stop-at",
      paramLabel = "PHASE",
      description = {
        "Start the phase PHASE of the script, then record nothing more (the room stays in it:",
        "for a demonstration, a screenshot or a phone vote by hand)."
      })
  String stopAt;

  @Option(names = "--dev", description = "Development: tablets without enrolment.")
  boolean dev;

  @Option(names = "--site-key", paramLabel = "KEY", description = "With --dev: the site key.")
  String siteKey;

  @Spec CommandSpec spec;

  private final PrintStream out;
  private final PrintStream err;

  SimulateWorkshop(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  static int run(PrintStream out, PrintStream err, String... args) {
    CommandLine line = new CommandLine(new SimulateWorkshop(out, err));
    line.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    line.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    return line.execute(args);
  }

  @Override
  public Integer call() throws InterruptedException {
    if (!dev) {
      throw new ParameterException(
          spec.commandLine(),
          "the simulated tablets are not enrolled: add --dev (enrolled workshop tablets are"
              + " simulated by the kiosk app itself)");
    }
    EventDefinition event;
    try {
      event = EventLoader.load(eventFile);
    } catch (EventFileException e) {
      err.println(e.getMessage());
      return 2;
    }
    WorkshopScript script = event.workshop().orElse(null);
    Optional<String> bad = check(script);
    if (bad.isEmpty() && (paceMillis < 0 || paceMillis > 10_000)) {
      bad = Optional.of("--pace [" + paceMillis + "] must be 0 to 10000 milliseconds");
    }
    if (bad.isEmpty() && stopAt != null && script.phase(stopAt).isEmpty()) {
      bad = Optional.of("--stop-at " + stopAt + ": the script has no phase of that id");
    }
    for (Integer k : hubOf.keySet()) {
      if (bad.isEmpty() && (k < 1 || k > tablets)) {
        bad = Optional.of("--hub-of " + k + "=...: there is no tablet " + k + " of " + tablets);
      }
    }
    if (bad.isPresent()) {
      throw new ParameterException(spec.commandLine(), bad.get());
    }
    List<KioskEngine> engines = new ArrayList<>();
    List<SyncAgent> agents = new ArrayList<>();
    List<ScheduledExecutorService> schedulers = new ArrayList<>();
    try {
      SecureRandom random = new SecureRandom();
      String key = siteKey != null ? siteKey : MqttCredentials.DEVELOPMENT_KEY;
      for (int i = 1; i <= tablets; i++) {
        KioskEngine engine =
            KioskEngine.open(
                data.resolve("tablet-" + i), Optional.empty(), Clock.systemUTC(), random);
        engines.add(engine);
        int index = i;
        ScheduledExecutorService scheduler =
            Executors.newSingleThreadScheduledExecutor(
                r -> {
                  Thread t = new Thread(r, "tablet-" + index + "-sync");
                  t.setDaemon(true);
                  return t;
                });
        schedulers.add(scheduler);
        SyncAgent agent =
            new SyncAgent(
                engine.store(),
                engine.deviceId(),
                SyncAgent.Settings.of(hubOf.getOrDefault(i, hub), key),
                scheduler,
                Clock.systemUTC(),
                random,
                StatusReport.of(Optional.empty(), data.resolve("tablet-" + i), Optional::empty));
        engine.addCommitListener(record -> agent.wake());
        agents.add(agent);
        agent.start();
      }
      if (held(engines, event) == 0) {
        new Room(event, script, engines, new SplittableRandom(seed)).run();
      }
      while (pending(engines) > 0) {
        out.println("acked " + acked(engines) + " of " + held(engines, event));
        Thread.sleep(1000);
      }
      List<WorkshopState.Entry> entries = new ArrayList<>();
      for (KioskEngine engine : engines) {
        for (Record record : engine.store().records(event.id(), RecordKind.WORKSHOP)) {
          entries.add(
              new WorkshopState.Entry(
                  new ItemRef(record.device(), record.seq()),
                  record.deviceTime(),
                  WorkshopAction.decode(record.body())));
        }
      }
      WorkshopState state = WorkshopState.fold(script, entries);
      String vote =
          script.phases().stream().filter(p -> p.vote().isPresent()).findFirst().get().id();
      long n = entries.size();
      out.println(
          "workshop: "
              + state.ideas().size()
              + " ideas, "
              + state.groups().size()
              + " groups, "
              + state.totalDots(vote)
              + " votes, acked "
              + acked(engines)
              + " of "
              + n);
      return 0;
    } catch (StoreException | terrain.core.codec.WireException e) {
      err.println("Workshop simulation failed: " + e.getMessage());
      return 1;
    } finally {
      agents.forEach(SyncAgent::close);
      schedulers.forEach(ScheduledExecutorService::shutdownNow);
      engines.forEach(KioskEngine::close);
    }
  }

  private Optional<String> check(WorkshopScript script) {
    if (script == null) {
      return Optional.of(
          eventFile + " has no workshop: section (see examples/events/atelier-parc.yaml)");
    }
    Optional<WorkshopPhase.Vote> vote =
        script.phases().stream().flatMap(p -> p.vote().stream()).findFirst();
    if (tablets < 2 || tablets > script.tables() + 1) {
      return Optional.of(
          "--tablets ["
              + tablets
              + "] must be 2 to "
              + (script.tables() + 1)
              + " (the facilitator's"
              + " and one per table; the script has "
              + script.tables()
              + " tables)");
    }
    if (participants < 1 || participants > 500 || ideas < 1 || ideas > 2000) {
      return Optional.of("--participants must be 1 to 500 and --ideas 1 to 2000");
    }
    if (vote.isEmpty() || dots < 1 || dots > vote.get().dots()) {
      return Optional.of(
          "--dots ["
              + dots
              + "] must be 1 to the vote's dots ("
              + vote.map(v -> Integer.toString(v.dots())).orElse("no vote phase")
              + ")");
    }
    return Optional.empty();
  }

  private static long held(List<KioskEngine> engines, EventDefinition event) throws StoreException {
    long n = 0;
    for (KioskEngine engine : engines) {
      n += engine.store().records(event.id(), RecordKind.WORKSHOP).size();
    }
    return n;
  }

  private static long pending(List<KioskEngine> engines) throws StoreException {
    long n = 0;
    for (KioskEngine engine : engines) {
      n += engine.store().pendingCount();
    }
    return n;
  }

  private static long acked(List<KioskEngine> engines) throws StoreException {
    long n = 0;
    for (KioskEngine engine : engines) {
      n += engine.store().forwardedCount(engine.deviceId(), RecordKind.WORKSHOP);
    }
    return n;
  }

  /** The seeded run of the script's phases. */
  private final class Room {
    private final EventDefinition event;
    private final WorkshopScript script;
    private final List<KioskEngine> engines;
    private final SplittableRandom random;

    Room(
        EventDefinition event,
        WorkshopScript script,
        List<KioskEngine> engines,
        SplittableRandom random) {
      this.event = event;
      this.script = script;
      this.engines = engines;
      this.random = random;
    }

    void run() throws StoreException {
      KioskEngine facilitator = engines.get(0);
      List<ItemRef> ideaRefs = new ArrayList<>();
      List<ItemRef> groups = new ArrayList<>();
      for (WorkshopPhase phase : script.phases()) {
        out.println("phase " + phase.id() + " " + phase.kind().word());
        act(facilitator, new WorkshopAction.Control(phase.id(), WorkshopAction.Command.START, 0));
        if (phase.id().equals(stopAt)) {
          return;
        }
        switch (phase.kind()) {
          case WELCOME -> {
            for (int p = 0; p < participants; p++) {
              act(facilitator, new WorkshopAction.Attend(phase.id(), ageBand(), area()));
            }
          }
          case IDEAS -> {
            for (int i = 0; i < ideas; i++) {
              int table = 1 + i % (engines.size() - 1);
              String text = IDEAS[random.nextInt(IDEAS.length)] + " (" + (i + 1) + ")";
              ideaRefs.add(
                  act(engines.get(table), new WorkshopAction.Idea(phase.id(), table, "fr", text)));
            }
          }
          case GROUPING -> {
            int count = Math.max(1, (int) Math.round(Math.sqrt(ideaRefs.size())));
            for (int g = 0; g < count; g++) {
              groups.add(
                  act(
                      facilitator,
                      new WorkshopAction.NewGroup(phase.id(), THEMES[g % THEMES.length])));
            }
            for (int i = 0; i < ideaRefs.size(); i++) {
              act(
                  facilitator,
                  new WorkshopAction.Place(
                      phase.id(), ideaRefs.get(i), Optional.of(groups.get(i % groups.size()))));
            }
            if (groups.size() > 2) {
              ItemRef gone = groups.remove(groups.size() - 1);
              act(facilitator, new WorkshopAction.Merge(phase.id(), gone, groups.get(0)));
            }
          }
          case VOTE -> vote(phase, groups.isEmpty() ? ideaRefs : groups);
          case RESULTS -> {}
        }
        if (phase.vote().isPresent()) {
          act(facilitator, new WorkshopAction.Reveal(phase.id()));
        }
        act(facilitator, new WorkshopAction.Control(phase.id(), WorkshopAction.Command.FINISH, 0));
      }
    }

    /** Every participant places their D dots on a table's tablet, at most the cap per item. */
    private void vote(WorkshopPhase phase, List<ItemRef> items) throws StoreException {
      int cap = phase.vote().orElseThrow().capPerItem();
      for (int p = 0; p < participants; p++) {
        KioskEngine tablet = engines.get(1 + p % (engines.size() - 1));
        String voter = "p-" + seed + "-" + (p + 1);
        Map<ItemRef, Integer> mine = new LinkedHashMap<>();
        int left = dots;
        List<ItemRef> open = new ArrayList<>(items);
        while (left > 0 && !open.isEmpty()) {
          ItemRef item = open.get(random.nextInt(open.size()));
          int room = Math.min(cap - mine.getOrDefault(item, 0), left);
          int n = 1 + random.nextInt(room);
          mine.merge(item, n, Integer::sum);
          left -= n;
          if (mine.get(item) >= cap) {
            open.remove(item);
          }
        }
        for (Map.Entry<ItemRef, Integer> dot : mine.entrySet()) {
          act(tablet, new WorkshopAction.Vote(phase.id(), voter, dot.getKey(), dot.getValue()));
        }
      }
    }

    private ItemRef act(KioskEngine tablet, WorkshopAction action) throws StoreException {
      Record record = tablet.recordWorkshop(event, action);
      if (paceMillis > 0) {
        try {
          Thread.sleep(paceMillis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new StoreException("interrupted while pacing the workshop", e);
        }
      }
      return new ItemRef(record.device(), record.seq());
    }

    private String ageBand() {
      List<AnswerOption> bands =
          event.profile().map(ProfileSettings::ageBands).orElse(ProfileSettings.DEFAULT_AGE_BANDS);
      return random.nextInt(6) == 0 ? "" : bands.get(random.nextInt(bands.size())).id();
    }

    private String area() {
      List<AnswerOption> areas = event.profile().map(ProfileSettings::areas).orElse(List.of());
      return areas.isEmpty() || random.nextInt(4) == 0
          ? ""
          : areas.get(random.nextInt(areas.size())).id();
    }
  }

  private static final String[] IDEAS = {
    "Des bancs à l'ombre", "Un kiosque à musique", "Des jeux pour les petits", "Plus de poubelles",
    "Un potager partagé", "Des toilettes publiques", "Éclairer les allées", "Une fontaine",
    "Un terrain de pétanque", "Des arbres fruitiers"
  };

  private static final String[] THEMES = {
    "Se reposer", "Jouer", "Propreté", "Nature", "Sécurité", "Culture", "Sport", "Eau"
  };
}
