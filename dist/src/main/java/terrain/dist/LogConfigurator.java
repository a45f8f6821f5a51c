// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.dist;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.Map;

/**
 * Logging of every Terrain process started by {@code ./terrain}: concise lines on standard error
 * (standard output is for a command's results, e.g. simulate's "acked N of N").
 *
 * <p>Configured in code through Logback's service loader rather than a logback.xml, because the
 * HiveMQ jar carries its own logback.xml: with two on the class path, whichever comes first wins
 * and Logback prints a warning at every start. {@code TERRAIN_LOG=debug} turns on debug logs.
 */
public final class LogConfigurator extends ContextAwareBase implements Configurator {
  private static final Map<String, Level> QUIET =
      Map.of(
          "com.hivemq", Level.WARN,
          "migrations", Level.WARN,
          "org.eclipse.jetty", Level.WARN,
          "org.flywaydb", Level.ERROR,
          "org.eclipse.paho", Level.WARN,
          "org.apache.derby", Level.WARN,
          "io.netty", Level.WARN);

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern("%d{HH:mm:ss.SSS} %-5level [%logger{0}] %msg%n");
    encoder.start();
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName("console");
    console.setTarget("System.err");
    console.setEncoder(encoder);
    console.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    boolean debug = "debug".equalsIgnoreCase(System.getenv("TERRAIN_LOG"));
    root.setLevel(debug ? Level.DEBUG : Level.INFO);
    root.addAppender(console);
    QUIET.forEach((name, level) -> context.getLogger(name).setLevel(level));
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}
