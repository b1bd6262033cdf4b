package dev.weir.tasks.models;

import com.hubspot.jinjava.objects.serialization.PyishSerializable;
import java.io.IOException;

/**
 * A table or view as templates see it ({@code ref()}, {@code source()}, {@code this}): renders as
 * {@code "schema"."name"}, and has {@code .schema}, {@code .name}, {@code .identifier}. An
 * ephemeral model renders as its CTE's name, {@code __dbt__cte__name}.
 */
public final class Relation implements PyishSerializable {
  private final String schema;
  private final String identifier;
  private final Target.Dialect dialect;
  private final boolean cte;

  Relation(String schema, String identifier, Target.Dialect dialect, boolean cte) {
    this.schema = schema;
    this.identifier = identifier;
    this.dialect = dialect;
    this.cte = cte;
  }

  static Relation cte(String model) {
    return new Relation(null, "__dbt__cte__" + model, Target.Dialect.DUCKDB, true);
  }

  public String getSchema() {
    return schema;
  }

  public String getName() {
    return identifier;
  }

  public String getIdentifier() {
    return identifier;
  }

  public String getDatabase() {
    return null;
  }

  /** {@code schema.name} unquoted, as lineage names datasets; the CTE's name for an ephemeral. */
  public String qualifiedName() {
    return cte ? identifier : schema + "." + identifier;
  }

  public boolean isCte() {
    return cte;
  }

  @Override
  public String toString() {
    return cte ? identifier : dialect.quote(schema) + "." + dialect.quote(identifier);
  }

  @Override
  public <T extends Appendable & CharSequence> T appendPyishString(T appendable)
      throws IOException {
    appendable.append(toString());
    return appendable;
  }
}
