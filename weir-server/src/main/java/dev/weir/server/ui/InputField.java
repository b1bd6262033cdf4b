package dev.weir.server.ui;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.expr.Masker;
import dev.weir.flow.InputDef;
import dev.weir.flow.InputType;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * One field of a flow's "run now" form, made from a typed input: which control fits its type, and
 * its default already in that control's format. A default that is a template ({@code {{ now() }}})
 * is rendered by the server at the run's start, so the field stays empty and shows it as a hint.
 *
 * @param control {@code text}, {@code int}, {@code number}, {@code boolean}, {@code date}, {@code
 *     datetime} (a local date-time and a time zone, sent as an instant), {@code duration} or {@code
 *     json}
 * @param required whether the form must fill it: required by the flow, with no default
 * @param value the pre-filled value; empty when there is no literal default
 * @param hint what the server uses when the field is left empty, or the form it expects
 */
record InputField(
    String id,
    String type,
    String control,
    boolean required,
    String value,
    String hint,
    String description) {

  private static final DateTimeFormatter LOCAL =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

  static List<InputField> of(List<InputDef> inputs, Masker masker) {
    return inputs.stream().map(i -> of(i, masker)).toList();
  }

  static InputField of(InputDef input, Masker masker) {
    InputType type = input.type();
    String control =
        switch (type) {
          case STRING -> "text";
          case INT -> "int";
          case NUMBER -> "number";
          case BOOLEAN -> "boolean";
          case DATE -> "date";
          case DATETIME -> "datetime";
          case DURATION -> "duration";
          case JSON -> "json";
        };
    JsonNode d = input.defaultValue();
    String value = "";
    String hint = type.expected();
    if (d != null && !d.isNull()) {
      String text = d.isTextual() ? d.textValue() : d.toString();
      if (text.contains("{{")) {
        hint = "empty: " + masker.mask(text) + ", worked out when the run starts";
      } else if (!masker.mask(text).equals(text)) {
        // pre-filled, the mask would be sent back as the value
        hint = "empty: the flow's default, which holds a secret";
      } else {
        value = literal(type, d, text);
        hint = "default " + value + (type == InputType.DATETIME ? "Z" : "");
      }
    }
    // an input is required unless it says otherwise, but a default fills it
    boolean mustFill = input.required() && (d == null || d.isNull());
    return new InputField(
        input.id(),
        type.yamlName(),
        control,
        mustFill,
        value,
        hint,
        input.description() == null ? null : masker.mask(input.description()));
  }

  /** The {@code type} of the {@code <input>} of a text, number or date control. */
  public String htmlType() {
    return switch (control) {
      case "int", "number" -> "number";
      case "date" -> "date";
      default -> "text";
    };
  }

  /** The {@code step} of a number control: whole numbers for an int. */
  public String step() {
    return control.equals("int") ? "1" : "any";
  }

  /** A literal default in the format its control takes; as written when it does not parse. */
  private static String literal(InputType type, JsonNode d, String text) {
    try {
      return switch (type) {
        case DATETIME ->
            LOCAL.format(
                ((OffsetDateTime) type.fromNode(d))
                    .withOffsetSameInstant(ZoneOffset.UTC)
                    .toLocalDateTime());
        case BOOLEAN -> type.fromNode(d).toString();
        default -> text;
      };
    } catch (IllegalArgumentException | ClassCastException e) {
      return text;
    }
  }
}
