// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.dist.proc;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command lines of the applications that the demo, the benches and the end-to-end tests start
 * as child processes, all on loopback: one place that knows their required options.
 */
public final class Commands {
  private Commands() {}

  /**
   * {@code hub --dev} (a development hub: site key, no enrolment) with its data folder, its ports,
   * the server's broker and its id, then more.
   */
  public static String[] hub(
      Path data, int mqtt, int http, String uplink, String hubId, String... more) {
    return with(
        more,
        "hub",
        "--dev",
        "--data",
        data.toString(),
        "--mqtt",
        "" + mqtt,
        "--http",
        "" + http,
        "--uplink",
        uplink,
        "--hub-id",
        hubId);
  }

  /**
   * {@code server --dev} with its data folder and its ports, then more: development mode (the
   * development site key, device keys trusted on first use), as the demo, the benches and the
   * end-to-end tests of today run it.
   */
  public static String[] server(Path data, int http, int mqtt, String... more) {
    return with(
        more,
        "server",
        "--dev",
        "--data",
        data.toString(),
        "--http",
        "" + http,
        "--mqtt",
        "" + mqtt);
  }

  /** {@code server} without {@code --dev}: enrolled devices only, then more. */
  public static String[] enrolledServer(Path data, int http, int mqtt, String... more) {
    return with(
        more, "server", "--data", data.toString(), "--http", "" + http, "--mqtt", "" + mqtt);
  }

  /**
   * {@code simulate}: development kiosks ({@code --dev}) on the hub at {@code hubMqtt} recording
   * responses, then more; with {@code --enrolments FILE} in {@code more} they enrol instead.
   */
  public static String[] simulate(
      int hubMqtt, Path eventFile, int kiosks, int responses, Path data, String... more) {
    return with(
        more,
        "simulate",
        "--dev",
        "--hub",
        "tcp://127.0.0.1:" + hubMqtt,
        "--event",
        eventFile.toString(),
        "--kiosks",
        "" + kiosks,
        "--responses",
        "" + responses,
        "--data",
        data.toString());
  }

  private static String[] with(String[] more, String... first) {
    List<String> args = new ArrayList<>(List.of(first));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }
}
