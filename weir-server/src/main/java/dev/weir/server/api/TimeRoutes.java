package dev.weir.server.api;

import dev.weir.WeirException;
import io.javalin.http.Context;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.function.Consumer;

/**
 * {@code GET /time/instant?local=2026-03-08T09:30&zone=America/New_York}: the instant a wall-clock
 * time names in a time zone (see {@link WallClock}), for forms that take a date-time with its zone.
 */
public final class TimeRoutes implements Consumer<Routes> {
  @Override
  public void accept(Routes r) {
    r.get("/time/instant", TimeRoutes::instant);
  }

  private static void instant(Context ctx) {
    LocalDateTime local = local(ctx.queryParam("local"));
    ZoneId zone = zone(ctx.queryParam("zone"));
    WallClock.Resolved resolved;
    try {
      resolved = WallClock.resolve(local, zone);
    } catch (WeirException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    var o = Json.MAPPER.createObjectNode();
    o.put("local", local.toString());
    o.put("zone", zone.getId());
    o.put("instant", resolved.instant().toString());
    o.put("offset", resolved.offset().getId());
    o.put("note", resolved.note());
    ctx.json(o);
  }

  private static LocalDateTime local(String value) {
    if (value == null || value.isBlank()) {
      throw ApiException.badRequest("'local' is required: a date-time without zone");
    }
    try {
      return LocalDateTime.parse(value.strip());
    } catch (DateTimeParseException e) {
      throw ApiException.badRequest(
          "'local' must be a date-time without zone such as 2026-03-08T09:30, got '" + value + "'");
    }
  }

  static ZoneId zone(String value) {
    if (value == null || value.isBlank()) {
      throw ApiException.badRequest("'zone' is required: an IANA time zone such as Europe/Berlin");
    }
    try {
      return ZoneId.of(value.strip());
    } catch (DateTimeException e) {
      throw ApiException.badRequest(
          "unknown time zone '" + value + "'; use an IANA name such as Europe/Berlin or UTC");
    }
  }
}
