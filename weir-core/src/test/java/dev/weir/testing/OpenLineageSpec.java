package dev.weir.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a run event against the OpenLineage spec 2-0-2 (https://openlineage.io/spec/2-0-2/
 * OpenLineage.json) and the facets Weir sends, written from the published schemas (the schema files
 * are not in the repository, and no Maven artifact ships them):
 *
 * <ul>
 *   <li>{@code RunEvent}: {@code eventTime} (a date-time with an offset, RFC 3339), {@code
 *       producer} and {@code schemaURL} (absolute URIs), {@code run} and {@code job} required;
 *       {@code eventType} one of START, RUNNING, COMPLETE, ABORT, FAIL, OTHER; {@code
 *       inputs}/{@code outputs} arrays of datasets.
 *   <li>{@code Run}: {@code runId} a UUID; {@code Job}, {@code Dataset}: {@code namespace} and
 *       {@code name} strings.
 *   <li>Every facet (run, job, dataset, input and output facets): an object with {@code _producer}
 *       and {@code _schemaURL}, both absolute URIs; {@code _deleted} a boolean if there.
 *   <li>The facets Weir sends, by their own schemas: {@code parent} (ParentRunFacet: {@code
 *       run.runId} a UUID, {@code job.namespace}, {@code job.name}), {@code errorMessage} ({@code
 *       message}, {@code programmingLanguage}), {@code jobType} ({@code processingType}, {@code
 *       integration}), {@code inputStatistics}/{@code outputStatistics} (integer counts).
 * </ul>
 *
 * A lineage server that validates against the schema (Marquez, the OpenLineage proxy) rejects an
 * event with any of these problems.
 */
public final class OpenLineageSpec {
  public static final String RUN_EVENT_SCHEMA =
      "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent";
  private static final List<String> EVENT_TYPES =
      List.of("START", "RUNNING", "COMPLETE", "ABORT", "FAIL", "OTHER");
  private static final Set<String> EVENT_FIELDS =
      Set.of("eventTime", "producer", "schemaURL", "eventType", "run", "job", "inputs", "outputs");
  // RFC 4122 text form, as JSON Schema's "uuid" format
  private static final Pattern UUID =
      Pattern.compile(
          "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
  // RFC 3339 date-time, as JSON Schema's "date-time" format: the offset is required
  private static final Pattern DATE_TIME =
      Pattern.compile(
          "^\\d{4}-\\d{2}-\\d{2}[Tt]\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?([Zz]|[+-]\\d{2}:\\d{2})$");
  private static final Pattern FACET_SCHEMA =
      Pattern.compile(
          "^https://openlineage\\.io/spec/facets/\\d+-\\d+-\\d+/(\\w+)\\.json#/\\$defs/\\1$");

  private final List<String> problems = new ArrayList<>();

  private OpenLineageSpec() {}

  /** The problems of one event, each naming where ({@code /run/facets/parent/run/runId: ...}). */
  public static List<String> problems(JsonNode event) {
    var spec = new OpenLineageSpec();
    spec.event(event);
    return spec.problems;
  }

  private void problem(String where, String what) {
    problems.add((where.isEmpty() ? "/" : where) + ": " + what);
  }

  private void event(JsonNode e) {
    if (!e.isObject()) {
      problem("", "an event is a JSON object");
      return;
    }
    for (Iterator<String> it = e.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!EVENT_FIELDS.contains(f)) {
        problem("/" + f, "not a field of RunEvent");
      }
    }
    dateTime(e, "/eventTime");
    uri(e, "/producer");
    if (uri(e, "/schemaURL") && !e.path("schemaURL").asText().equals(RUN_EVENT_SCHEMA)) {
      problem("/schemaURL", "is not the 2-0-2 RunEvent schema: " + e.path("schemaURL").asText());
    }
    if (e.has("eventType") && !EVENT_TYPES.contains(e.path("eventType").asText(""))) {
      problem("/eventType", "not one of " + EVENT_TYPES + ": " + e.get("eventType"));
    }
    JsonNode run = required(e, "/run", "object");
    if (run != null) {
      uuid(e, "/run/runId");
      facets(e, "/run/facets");
    }
    JsonNode job = required(e, "/job", "object");
    if (job != null) {
      required(e, "/job/namespace", "string");
      required(e, "/job/name", "string");
      facets(e, "/job/facets");
    }
    datasets(e, "/inputs", "inputFacets");
    datasets(e, "/outputs", "outputFacets");
    knownRunFacets(e);
    knownJobFacets(e);
  }

  private void datasets(JsonNode e, String where, String ownFacets) {
    JsonNode list = e.at(where);
    if (list.isMissingNode()) {
      return;
    }
    if (!list.isArray()) {
      problem(where, "an array of datasets, got " + list.getNodeType());
      return;
    }
    for (int i = 0; i < list.size(); i++) {
      String at = where + "/" + i;
      if (!list.get(i).isObject()) {
        problem(at, "a dataset is an object");
        continue;
      }
      required(e, at + "/namespace", "string");
      required(e, at + "/name", "string");
      facets(e, at + "/facets");
      facets(e, at + "/" + ownFacets);
      JsonNode stats = e.at(at + "/" + ownFacets);
      for (String name : List.of("inputStatistics", "outputStatistics")) {
        JsonNode s = stats.path(name);
        for (String count : List.of("rowCount", "size", "fileCount")) {
          if (s.has(count) && !s.get(count).isIntegralNumber()) {
            problem(at + "/" + ownFacets + "/" + name + "/" + count, "an integer");
          }
        }
      }
    }
  }

  /** Each facet of a facets object has _producer and _schemaURL, absolute URIs. */
  private void facets(JsonNode e, String where) {
    JsonNode facets = e.at(where);
    if (facets.isMissingNode()) {
      return;
    }
    if (!facets.isObject()) {
      problem(where, "facets are an object, got " + facets.getNodeType());
      return;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = facets.fields(); it.hasNext(); ) {
      var f = it.next();
      String at = where + "/" + f.getKey();
      if (!f.getValue().isObject()) {
        problem(at, "a facet is an object");
        continue;
      }
      uri(e, at + "/_producer");
      if (uri(e, at + "/_schemaURL")) {
        String schema = f.getValue().path("_schemaURL").asText();
        if (schema.startsWith("https://openlineage.io/")
            && !FACET_SCHEMA.matcher(schema).matches()) {
          problem(at + "/_schemaURL", "not a versioned OpenLineage facet schema: " + schema);
        }
      }
      JsonNode deleted = f.getValue().path("_deleted");
      if (!deleted.isMissingNode() && !deleted.isBoolean()) {
        problem(at + "/_deleted", "a boolean");
      }
    }
  }

  private void knownRunFacets(JsonNode e) {
    JsonNode parent = e.at("/run/facets/parent");
    if (!parent.isMissingNode()) {
      schemaOf(e, "/run/facets/parent", "ParentRunFacet");
      required(e, "/run/facets/parent/run", "object");
      uuid(e, "/run/facets/parent/run/runId");
      required(e, "/run/facets/parent/job", "object");
      required(e, "/run/facets/parent/job/namespace", "string");
      required(e, "/run/facets/parent/job/name", "string");
      if (parent.has("root")) {
        uuid(e, "/run/facets/parent/root/run/runId");
        required(e, "/run/facets/parent/root/job/namespace", "string");
        required(e, "/run/facets/parent/root/job/name", "string");
      }
    }
    if (e.at("/run/facets").has("errorMessage")) {
      schemaOf(e, "/run/facets/errorMessage", "ErrorMessageRunFacet");
      required(e, "/run/facets/errorMessage/message", "string");
      required(e, "/run/facets/errorMessage/programmingLanguage", "string");
    }
  }

  private void knownJobFacets(JsonNode e) {
    if (e.at("/job/facets").has("jobType")) {
      schemaOf(e, "/job/facets/jobType", "JobTypeJobFacet");
      required(e, "/job/facets/jobType/processingType", "string");
      required(e, "/job/facets/jobType/integration", "string");
      JsonNode type = e.at("/job/facets/jobType/jobType");
      if (!type.isMissingNode() && !type.isTextual()) {
        problem("/job/facets/jobType/jobType", "a string");
      }
    }
  }

  private void schemaOf(JsonNode e, String where, String facet) {
    String schema = e.at(where + "/_schemaURL").asText("");
    if (!schema.endsWith("/" + facet + ".json#/$defs/" + facet)) {
      problem(where + "/_schemaURL", "not the " + facet + " schema: " + schema);
    }
  }

  private JsonNode required(JsonNode e, String where, String type) {
    JsonNode n = e.at(where);
    if (n.isMissingNode() || n.isNull()) {
      problem(where, "required");
      return null;
    }
    boolean ok = type.equals("object") ? n.isObject() : n.isTextual();
    if (!ok) {
      problem(where, "a " + type + ", got " + n.getNodeType());
      return null;
    }
    if (type.equals("string") && n.asText().isEmpty()) {
      problem(where, "empty");
    }
    return n;
  }

  private boolean uri(JsonNode e, String where) {
    JsonNode n = required(e, where, "string");
    if (n == null) {
      return false;
    }
    try {
      if (!new URI(n.asText()).isAbsolute()) {
        problem(where, "an absolute URI, got " + n.asText());
        return false;
      }
    } catch (URISyntaxException ex) {
      problem(where, "a URI: " + ex.getMessage());
      return false;
    }
    return true;
  }

  private void uuid(JsonNode e, String where) {
    JsonNode n = required(e, where, "string");
    if (n != null && !UUID.matcher(n.asText()).matches()) {
      problem(where, "a UUID, got " + n.asText());
    }
  }

  private void dateTime(JsonNode e, String where) {
    JsonNode n = required(e, where, "string");
    if (n == null) {
      return;
    }
    if (!DATE_TIME.matcher(n.asText()).matches()) {
      problem(where, "an RFC 3339 date-time with an offset, got " + n.asText());
      return;
    }
    try {
      OffsetDateTime.parse(n.asText(), DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    } catch (DateTimeParseException ex) {
      problem(where, "not a valid date-time: " + n.asText());
    }
  }
}
