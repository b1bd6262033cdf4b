package dev.weir.bench;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A JDBC connection that adds up the time of each kind of statement run through it (by the
 * statement's first words: {@code create table}, {@code select table_type from information_schema},
 * …) and of commits, for {@link ModelsBench}'s breakdown of where a run's time goes.
 */
final class TimedConnection {
  /** Calls and nanoseconds of one kind of statement. */
  static final class Tally {
    long calls;
    long nanos;
  }

  private final Map<String, Tally> tallies = new TreeMap<>();

  Connection wrap(Connection c) {
    return proxy(
        Connection.class,
        c,
        (p, m, a) -> {
          Object r = call(m, c, a, kindOf(m, a));
          if (r instanceof PreparedStatement ps && m.getName().equals("prepareStatement")) {
            String sql = (String) a[0];
            return proxy(
                PreparedStatement.class, ps, (p2, m2, a2) -> call(m2, ps, a2, kind(sql, m2)));
          }
          if (r instanceof Statement st && m.getName().equals("createStatement")) {
            return proxy(
                Statement.class,
                st,
                (p2, m2, a2) ->
                    call(
                        m2,
                        st,
                        a2,
                        a2 != null && a2.length > 0 && a2[0] instanceof String s
                            ? kind(s, m2)
                            : null));
          }
          return r;
        });
  }

  Map<String, Tally> tallies() {
    return tallies;
  }

  private static String kindOf(Method m, Object[] a) {
    return switch (m.getName()) {
      case "commit" -> "commit";
      case "rollback" -> "rollback";
      case "setAutoCommit" -> "setAutoCommit(" + a[0] + ")";
      case "prepareStatement" -> "prepare: " + kind((String) a[0]);
      default -> null;
    };
  }

  private static String kind(String sql, Method m) {
    return m.getName().startsWith("execute") ? kind(sql) : null;
  }

  private static String kind(String sql) {
    String s = sql.strip().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
    if (s.startsWith("select table_type from information_schema")) {
      return "select table_type from information_schema.tables (exists?)";
    }
    if (s.startsWith("select table_name, table_type from information_schema")) {
      return "select table_name, table_type from information_schema.tables (a schema's relations)";
    }
    if (s.startsWith("select column_name from information_schema")) {
      return "select column_name from information_schema.columns";
    }
    if (s.startsWith("select count(*) from (")) {
      return "select count(*) from (<test>) (a test)";
    }
    if (s.startsWith("select count(*) from")) {
      return "select count(*) from <new table> (rows)";
    }
    if (s.startsWith("create table") && s.contains(" as ")) {
      return "create table … as <model sql>";
    }
    if (s.startsWith("create or replace view") || s.startsWith("create view")) {
      return "create [or replace] view … as <model sql>";
    }
    if (s.startsWith("insert into")) {
      return "insert into (seed rows, batched)";
    }
    String[] w = s.split(" ");
    return w.length >= 2 ? w[0] + " " + w[1] + " …" : s;
  }

  private Object call(Method m, Object target, Object[] a, String kind) throws Throwable {
    long t0 = System.nanoTime();
    try {
      return m.invoke(target, a);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    } finally {
      if (kind != null) {
        Tally t = tallies.computeIfAbsent(kind, k -> new Tally());
        t.calls++;
        t.nanos += System.nanoTime() - t0;
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> T proxy(Class<T> type, T target, InvocationHandler h) {
    return (T)
        Proxy.newProxyInstance(TimedConnection.class.getClassLoader(), new Class<?>[] {type}, h);
  }
}
