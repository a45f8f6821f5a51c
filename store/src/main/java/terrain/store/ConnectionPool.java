// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.store;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Keeps up to {@code idle} open connections for reuse: a connection handed out is a proxy whose
 * {@code close()} rolls back what was not committed and puts the real connection back. A connection
 * that failed with a connection error (SQLState class 08) is closed instead. Opening a PostgreSQL
 * connection costs a process on the server and a few milliseconds; a server that runs several short
 * transactions per request needs this.
 */
final class ConnectionPool implements AutoCloseable {
  @FunctionalInterface
  interface Opener {
    Connection open() throws SQLException;
  }

  private final Opener opener;
  private final BlockingQueue<Connection> idle;
  private volatile boolean closed;

  ConnectionPool(Opener opener, int idle) {
    if (idle < 1) {
      throw new IllegalArgumentException("pool size [" + idle + "] must be 1 or more");
    }
    this.opener = opener;
    this.idle = new ArrayBlockingQueue<>(idle);
  }

  Connection get() throws SQLException {
    Connection real = idle.poll();
    if (real == null) {
      real = opener.open();
    }
    return wrap(real);
  }

  private Connection wrap(Connection real) {
    InvocationHandler handler =
        new InvocationHandler() {
          private boolean returned;
          private boolean broken;
          // What giveBack must undo: work since the last commit or rollback, changed settings.
          private boolean uncommitted;
          private boolean settingsChanged;

          @Override
          public Object invoke(Object proxy, java.lang.reflect.Method method, Object[] args)
              throws Throwable {
            String name = method.getName();
            if (name.equals("close")) {
              if (!returned) {
                returned = true;
                giveBack(real, broken, uncommitted, settingsChanged);
              }
              return null;
            }
            if (name.equals("isClosed")) {
              return returned || real.isClosed();
            }
            if (returned) {
              throw new SQLException("connection already closed", "08003");
            }
            switch (name) {
              case "commit", "rollback" -> uncommitted = args != null; // rollback(savepoint)
              case "setAutoCommit", "setTransactionIsolation", "setReadOnly" ->
                  settingsChanged = true;
              default -> uncommitted = true;
            }
            try {
              return method.invoke(real, args);
            } catch (InvocationTargetException e) {
              Throwable cause = e.getCause();
              if (cause instanceof SQLException sql
                  && sql.getSQLState() != null
                  && sql.getSQLState().startsWith("08")) {
                broken = true;
              }
              throw cause;
            }
          }
        };
    return (Connection)
        Proxy.newProxyInstance(
            Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, handler);
  }

  private void giveBack(
      Connection real, boolean broken, boolean uncommitted, boolean settingsChanged) {
    try {
      if (broken || closed || real.isClosed()) {
        real.close();
        return;
      }
      // The next user gets it as Database.connect() makes them: a transaction, read committed.
      // Resetting costs a statement or two in Derby, so only what the last user changed is reset.
      if ((uncommitted || settingsChanged) && !real.getAutoCommit()) {
        real.rollback();
      }
      if (settingsChanged) {
        real.setAutoCommit(false);
        real.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        real.setReadOnly(false);
      }
      if (!idle.offer(real)) {
        real.close();
      }
    } catch (SQLException e) {
      try {
        real.close();
      } catch (SQLException ignored) {
        // Broken: nothing more to do.
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    for (Connection c = idle.poll(); c != null; c = idle.poll()) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // Closing anyway.
      }
    }
  }
}
