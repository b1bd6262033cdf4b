package dev.weir.tasks.cdc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * The JDBC driver Debezium's MySQL connector is given for a MariaDB source ({@code
 * database.jdbc.driver}): MySQL's driver, with the one statement MariaDB does not know put in its
 * words. Debezium 3 moved MariaDB to a connector of its own, which Maven Central does not serve
 * here; its MySQL connector reads MariaDB's binlog, but asks a server whose version reads as 8.4 or
 * later (MariaDB's 10.x and 11.x do) for {@code SHOW BINARY LOG STATUS}, MySQL 8.4's name of {@code
 * SHOW MASTER STATUS}, and fails when it is refused.
 */
public final class MariaDbBinlogDriver implements Driver {
  private final Driver mysql = new com.mysql.cj.jdbc.Driver();

  /** Made by Debezium through its public no-argument constructor. */
  public MariaDbBinlogDriver() throws SQLException {}

  /** MySQL 8.4's statements as MariaDB words them. */
  static String mariadb(String sql) {
    return sql != null && sql.trim().equalsIgnoreCase("SHOW BINARY LOG STATUS")
        ? "SHOW MASTER STATUS"
        : sql;
  }

  @Override
  public Connection connect(String url, Properties info) throws SQLException {
    Connection c = mysql.connect(url, info);
    return c == null ? null : proxy(Connection.class, c);
  }

  @SuppressWarnings("unchecked")
  private static <T> T proxy(Class<T> type, T target) {
    InvocationHandler handler =
        (Object p, Method m, Object[] args) -> {
          if (args != null && args.length > 0 && args[0] instanceof String sql) {
            args[0] = mariadb(sql);
          }
          try {
            Object result = m.invoke(target, args);
            // statements made by the connection rewrite what they are given too
            return result instanceof Statement s && m.getReturnType() == Statement.class
                ? proxy(Statement.class, s)
                : result;
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        };
    return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler);
  }

  @Override
  public boolean acceptsURL(String url) throws SQLException {
    return mysql.acceptsURL(url);
  }

  @Override
  public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) throws SQLException {
    return mysql.getPropertyInfo(url, info);
  }

  @Override
  public int getMajorVersion() {
    return mysql.getMajorVersion();
  }

  @Override
  public int getMinorVersion() {
    return mysql.getMinorVersion();
  }

  @Override
  public boolean jdbcCompliant() {
    return false;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException();
  }
}
