package dev.weir.flow.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.task.TaskRegistry;
import org.junit.jupiter.api.Test;

class TaskDocsTest {
  private static final String PAGE =
      """
      # demo.copy

      Copies a file, see [the guide](../guide.md),
      atomically.

      ## Properties

      | name | type | required | default | meaning |
      |---|---|---|---|---|
      | `from` | text | yes | — | the source; `a\\|b` is one name |
      | `mode` | `copy` \\| `move` | no | `copy` | what to do |
      | `smtp.host`, `smtp.port` | text | no | - | the server |

      | name | meaning |
      |---|---|
      | `rows` | an output, not a property |
      """;

  @Test
  void reads_the_first_paragraph_and_the_properties_table() {
    TaskDocs docs = TaskDocs.parse(PAGE);
    assertThat(docs.summary()).isEqualTo("Copies a file, see the guide, atomically.");
    assertThat(docs.properties())
        .containsEntry("from", "the source; `a|b` is one name")
        .containsEntry("mode", "what to do (default: `copy`)")
        .containsEntry("smtp.host", "the server")
        .containsEntry("smtp.port", "the server")
        .doesNotContainKey("rows");
  }

  @Test
  void a_page_without_properties_describes_only_the_type() {
    TaskDocs docs = TaskDocs.parse("# noop\n\nDoes nothing.\n\n## Example\n");
    assertThat(docs.summary()).isEqualTo("Does nothing.");
    assertThat(docs.properties()).isEmpty();
  }

  @Test
  void a_type_without_a_page_has_no_descriptions() {
    TaskDocs docs = TaskDocs.of(TaskRegistry.load().get("test.ok"));
    assertThat(docs.summary()).isEmpty();
    assertThat(docs.properties()).isEmpty();
  }
}
