package dev.weir.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.weir.WeirException;
import dev.weir.expr.Masker;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A run's inputs and trigger data as the store keeps them (JSON text). */
final class RunCodec {
  private RunCodec() {}

  /**
   * Inputs as stored with the run. One that holds a secret (a default of {@code secret('X')}) is
   * left out and rendered again on resume: storing it masked would change its value.
   */
  static String encodeInputs(Map<String, Object> typed, Masker masker) {
    var m = new LinkedHashMap<String, String>();
    typed.forEach((k, v) -> {
      if (v == null) {
        return;
      }
      String text;
      try {
        text =
            v instanceof Map || v instanceof List
                ? DatasetCodec.JSON.writeValueAsString(v)
                : v.toString();
      } catch (JsonProcessingException e) {
        text = v.toString();
      }
      if (masker.mask(text).equals(text)) {
        m.put(k, text);
      }
    });
    try {
      return DatasetCodec.JSON.writeValueAsString(m);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The stored inputs as given ({@code name → text}); the flow types them again. */
  @SuppressWarnings("unchecked")
  static Map<String, String> decodeInputs(String runId, String json) {
    try {
      return json == null ? Map.of() : DatasetCodec.JSON.readValue(json, Map.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("corrupt inputs of run " + runId, e);
    }
  }

  static String encodeTrigger(Map<String, Object> data) {
    if (data.isEmpty()) {
      return null;
    }
    try {
      return DatasetCodec.JSON.writeValueAsString(data);
    } catch (JsonProcessingException e) {
      throw new WeirException(
          "trigger data cannot be stored as JSON: " + e.getOriginalMessage(), e);
    }
  }
}
