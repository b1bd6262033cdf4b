package dev.weir.flow.schema;

import com.fasterxml.classmate.ResolvedType;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.victools.jsonschema.generator.CustomDefinition;
import com.github.victools.jsonschema.generator.CustomDefinitionProviderV2;
import com.github.victools.jsonschema.generator.Option;
import com.github.victools.jsonschema.generator.OptionPreset;
import com.github.victools.jsonschema.generator.SchemaGenerationContext;
import com.github.victools.jsonschema.generator.SchemaGenerator;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfigBuilder;
import com.github.victools.jsonschema.generator.SchemaVersion;
import dev.weir.task.Required;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * JSON Schemas of configuration records, made by victools' generator with the rules {@code
 * ConfigBinder} binds by: record components are the keys, unknown keys are refused, {@link
 * Required} components must be given, a single value stands for a list of one, enum names are read
 * in any case, durations are text like {@code 30s}, a {@code JsonNode} takes anything, and text
 * takes any scalar (Jackson reads {@code 10} into a {@code String} as "10").
 *
 * <p>{@link #templated()} also allows an expression wherever a number, boolean, name or duration
 * goes: a task's properties are rendered before they are bound, so {@code maxPages: "{{
 * inputs.pages }}"} is a whole number once the run has its inputs. {@link #literal()} is for YAML
 * that is bound as written (a {@code retry:} mapping).
 */
public final class ConfigSchemas {
  private static final ConfigSchemas TEMPLATED = new ConfigSchemas(true);
  private static final ConfigSchemas LITERAL = new ConfigSchemas(false);

  private final SchemaGenerator generator;

  private ConfigSchemas(boolean templates) {
    var config =
        new SchemaGeneratorConfigBuilder(SchemaVersion.DRAFT_2020_12, OptionPreset.PLAIN_JSON)
            .without(Option.SCHEMA_VERSION_INDICATOR)
            .with(
                Option.INLINE_ALL_SCHEMAS,
                Option.FORBIDDEN_ADDITIONAL_PROPERTIES_BY_DEFAULT,
                Option.ACCEPT_SINGLE_VALUE_AS_ARRAY);
    config
        .forFields()
        .withRequiredCheck(f -> f.getAnnotationConsideringFieldAndGetter(Required.class) != null);
    config.forTypesInGeneral().withCustomDefinitionProvider(new Scalars(templates));
    // keys in the record's order, as the task pages list them (the default sorts by name)
    config.forTypesInGeneral().withPropertySorter((a, b) -> 0);
    this.generator = new SchemaGenerator(config.build());
  }

  /** For task configurations: expressions allowed in typed values. */
  public static ConfigSchemas templated() {
    return TEMPLATED;
  }

  /** For YAML bound as written. */
  public static ConfigSchemas literal() {
    return LITERAL;
  }

  /** The schema of {@code type}: a closed mapping of its components. */
  public ObjectNode of(Class<? extends Record> type) {
    return generator.generateSchema(type);
  }

  /** The names Jackson reads for an enum's constants (in any case). */
  public static List<String> enumNames(Class<?> type) {
    var names = new ArrayList<String>();
    for (Object constant : type.getEnumConstants()) {
      String name = ((Enum<?>) constant).name();
      JsonProperty renamed = null;
      try {
        renamed = type.getField(name).getAnnotation(JsonProperty.class);
      } catch (NoSuchFieldException e) {
        // a constant always has its field
      }
      names.add(
          renamed != null && !renamed.value().isEmpty()
              ? renamed.value()
              : name.toLowerCase(Locale.ROOT));
    }
    return names;
  }

  /** The leaves Jackson reads by its own rules rather than as beans. */
  private record Scalars(boolean templates) implements CustomDefinitionProviderV2 {
    @Override
    public CustomDefinition provideCustomSchemaDefinition(
        ResolvedType type, SchemaGenerationContext context) {
      Class<?> raw = type.getErasedType();
      ObjectNode schema;
      if (raw == String.class) {
        return inline(Schemas.scalar(null));
      } else if (JsonNode.class.isAssignableFrom(raw) || raw == Object.class) {
        return inline(Schemas.object());
      } else if (raw == Duration.class) {
        schema = Schemas.duration("a duration like 30s, 5m, 2h, 1d or PT5M");
      } else if (raw.isEnum()) {
        schema = Schemas.anyCase(enumNames(raw), null);
      } else if (Map.class.isAssignableFrom(raw)) {
        // a LinkedHashMap too, which victools would describe as a bean (loadFactor, threshold)
        ResolvedType values = context.getTypeContext().getTypeParameterFor(type, Map.class, 1);
        return inline(
            Schemas.mapOf(
                values == null ? Schemas.object() : context.createDefinition(values), null));
      } else if (isNumberOrBoolean(raw)) {
        schema = context.createStandardDefinition(type, this);
      } else {
        return null; // records and lists: victools' own, with these leaves inside
      }
      return inline(templates ? Schemas.orTemplate(schema) : schema);
    }

    private static boolean isNumberOrBoolean(Class<?> raw) {
      return raw.isPrimitive() || Number.class.isAssignableFrom(raw) || raw == Boolean.class;
    }

    private static CustomDefinition inline(ObjectNode schema) {
      return new CustomDefinition(
          schema, CustomDefinition.DefinitionType.INLINE, CustomDefinition.AttributeInclusion.NO);
    }
  }
}
