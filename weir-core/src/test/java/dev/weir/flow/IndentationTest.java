package dev.weir.flow;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The indentation reader finds no mistake in YAML that is well indented. */
class IndentationTest {
  static java.util.stream.Stream<String> validFlows() {
    return Fixtures.yamlFiles("valid");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validFlows")
  void every_valid_fixture_reads_as_well_indented(String file) {
    assertThat(Indentation.find(Fixtures.read("valid", file), Integer.MAX_VALUE)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        // block scalars keep their own indentation
        "id: a\ntasks:\n  - id: s\n    type: shell\n    command: |\n      echo a\n        echo b\n"
            + "    timeout: 1m\n",
        // flow collections and quoted values that span lines
        "id: a\nlabels: {team: data,\n   tier: gold}\ntasks:\n  - {id: x,\n      type: test.ok}\n",
        // comments at any indentation, a list at its key's indentation, nested lists
        "id: a\n   # note\ntasks:\n- id: x\n  type: test.ok\n  dependsOn:\n  - y\n  - z\n"
            + "- id: y\n  type: test.ok\n",
        // '-' with extra spaces, an empty value, a key with a colon in a quoted name
        "id: a\ndescription:\ntasks:\n  -   id: x\n      type: test.ok\n      \"a:b\": 1\n"
      })
  void well_indented_yaml_has_no_mistake(String yaml) {
    assertThat(Indentation.find(yaml, Integer.MAX_VALUE)).isEmpty();
  }
}
