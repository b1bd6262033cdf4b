package dev.weir.store;

import dev.weir.WeirException;
import dev.weir.expr.Expressions;
import dev.weir.expr.Secrets;
import dev.weir.util.JdbcUrls;
import java.time.InstantSource;
import java.util.Map;

/**
 * Where the state store is: a JDBC URL and, apart from it, a user and a password. Each may be a
 * template over {@code secret('NAME')} ({@code password: "{{ secret('STORE_PASSWORD') }}"}), so the
 * password need be neither in a file nor on a command line; {@link #resolve} reads the secrets.
 * {@link #toString()} never shows a password.
 *
 * @param url the JDBC URL, e.g. {@code jdbc:postgresql://db:5432/weir}
 * @param user the user, or null (the URL's, or the driver's default)
 * @param password the password, or null
 */
public record StoreAddress(String url, String user, String password) {
  public StoreAddress {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("a state store needs a JDBC URL");
    }
  }

  /** A store at a URL alone. */
  public static StoreAddress of(String url) {
    return new StoreAddress(url, null, null);
  }

  /** Whether a part is a template that {@link #resolve} must render. */
  public boolean hasTemplates() {
    return Expressions.isTemplate(url)
        || Expressions.isTemplate(user)
        || Expressions.isTemplate(password);
  }

  /**
   * This address with its {@code secret()} templates rendered; the values read are registered with
   * the secrets' masker.
   *
   * @param where what the address came from, for errors ("the server config's db")
   * @throws WeirException naming the part and the secret that could not be read, never a value
   */
  public StoreAddress resolve(Secrets secrets, String where) {
    if (!hasTemplates()) {
      return this;
    }
    var expressions = new Expressions(); // a Pebble engine: only for an address that needs one
    var services = new Expressions.Services(secrets, InstantSource.system());
    return new StoreAddress(
        render(expressions, services, url, where, "url"),
        render(expressions, services, user, where, "user"),
        render(expressions, services, password, where, "password"));
  }

  private static String render(
      Expressions expressions,
      Expressions.Services services,
      String template,
      String where,
      String part) {
    if (!Expressions.isTemplate(template)) {
      return template;
    }
    try {
      return expressions.render(template, Map.of(), services);
    } catch (RuntimeException e) {
      // no cause: what a template engine holds is not for logs
      throw new WeirException(
          where + " (" + part + "): " + services.secrets().masker().mask(e.getMessage()));
    }
  }

  /** Opens the store here (a network database: PostgreSQL, MariaDB; or an H2 URL). */
  public JdbcStateStore open() {
    return JdbcStateStore.open(url, user, password, null);
  }

  @Override
  public String toString() {
    return JdbcUrls.redact(url)
        + (user != null ? " as " + user : "")
        + (password != null ? " with a password" : "");
  }
}
