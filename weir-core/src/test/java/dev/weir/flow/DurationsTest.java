package dev.weir.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {
  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource({
    "250ms, PT0.25S",
    "30s, PT30S",
    "5m, PT5M",
    "2h, PT2H",
    "1d, PT24H",
    "0s, PT0S",
    "' 5m ', PT5M",
    "5 m, PT5M",
    "PT5M, PT5M",
    "PT1H30M, PT1H30M",
    "pt10s, PT10S",
    "P1D, PT24H"
  })
  void accepts_short_forms_and_iso_8601(String text, String iso) {
    assertThat(Durations.parse(text)).isEqualTo(Duration.parse(iso));
  }

  @ParameterizedTest(name = "''{0}''")
  @ValueSource(strings = {"5 minutes", "soon", "-5s", "1.5h", "5", "10S", "PT", ""})
  void rejects_anything_else_naming_the_value_and_the_accepted_forms(String text) {
    assertThatThrownBy(() -> Durations.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("'" + text + "' is not a duration; write it like 30s, 5m, 2h, 1d or PT5M");
  }

  @Test
  void rejects_null_as_not_a_duration() {
    assertThatThrownBy(() -> Durations.parse(null))
        .hasMessage("'null' is not a duration; write it like 30s, 5m, 2h, 1d or PT5M");
  }

  @ParameterizedTest(name = "{0} prints as {1}")
  @CsvSource({
    "PT0S, 0ms",
    "PT0.999S, 999ms",
    "PT1.5S, 1.5s",
    "PT59.94S, 59.9s",
    "PT5M, 5m",
    "PT5M30S, 5m30s",
    "PT2H, 2h",
    "PT2H5M, 2h5m",
    "PT49H, 49h"
  })
  void formats_for_people(String iso, String printed) {
    assertThat(Durations.format(Duration.parse(iso))).isEqualTo(printed);
  }

  @Test
  void formats_no_duration_as_a_dash() {
    assertThat(Durations.format(null)).isEqualTo("-");
  }
}
