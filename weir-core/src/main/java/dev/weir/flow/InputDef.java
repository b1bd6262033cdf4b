package dev.weir.flow;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A typed flow input.
 *
 * @param defaultValue the YAML default, possibly a template; null when there is none
 */
public record InputDef(
    String id, InputType type, boolean required, JsonNode defaultValue, String description) {}
