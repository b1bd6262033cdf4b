package dev.weir.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The flow page's YAML highlighting: what each token becomes, and that nothing escapes HTML. */
class YamlHighlighterTest {
  private static String one(String line) {
    List<String> lines = YamlHighlighter.lines(line);
    assertThat(lines).hasSize(1);
    return lines.get(0);
  }

  @Test
  void a_script_tag_anywhere_comes_out_escaped() {
    String yaml =
        """
        id: x
        description: <script>alert('x')</script>
        name: "<script>alert(1)</script>"
        <script>: "{{ '</span><script>' }}"
        # <img src=x onerror=alert(1)>
        command: |
          echo "<b>&amp;</b>"
        """;
    String html = String.join("\n", YamlHighlighter.lines(yaml));
    assertThat(html)
        .doesNotContain("<script")
        .doesNotContain("</script")
        .doesNotContain("<img")
        .doesNotContain("<b>")
        .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;")
        .contains("&lt;img src=x onerror=alert(1)&gt;")
        .contains("echo &quot;&lt;b&gt;&amp;amp;&lt;/b&gt;&quot;");
    // every tag left is one of ours
    assertThat(html.replaceAll("<span class=\"y-[a-z]\">|</span>", "")).doesNotContain("<");
  }

  @Test
  void keys_strings_literals_comments_and_templates_get_their_class() {
    assertThat(one("id: load # the flow's id"))
        .isEqualTo(
            "<span class=\"y-k\">id</span><span class=\"y-p\">:</span> load"
                + " <span class=\"y-c\"># the flow&#39;s id</span>");
    assertThat(one("  - id: \"a # not a comment\""))
        .isEqualTo(
            "  <span class=\"y-p\">-</span> <span class=\"y-k\">id</span><span"
                + " class=\"y-p\">:</span> <span class=\"y-s\">&quot;a # not a comment&quot;</span>");
    assertThat(one("parallelism: 4")).endsWith("<span class=\"y-l\">4</span>");
    assertThat(one("required: true  # yes"))
        .contains("<span class=\"y-l\">true</span>  <span class=\"y-c\">");
    assertThat(one("path: '{{ inputs.day }}.csv'"))
        .endsWith(
            "<span class=\"y-s\">&#39;<span class=\"y-t\">{{ inputs.day }}</span>.csv&#39;</span>");
    assertThat(one("sql: select * from t where d = '{{ inputs.day }}'"))
        .contains("<span class=\"y-t\">{{ inputs.day }}</span>");
  }

  @Test
  void a_colon_in_a_url_or_a_hash_inside_a_word_is_plain_text() {
    assertThat(one("url: http://example.com/a#b"))
        .isEqualTo(
            "<span class=\"y-k\">url</span><span class=\"y-p\">:</span> http://example.com/a#b");
    assertThat(one("- http://example.com"))
        .isEqualTo("<span class=\"y-p\">-</span> http://example.com");
  }

  @Test
  void a_block_scalar_is_text_with_templates_until_the_indentation_goes_back() {
    List<String> lines =
        YamlHighlighter.lines(
            """
            tasks:
              - command: |
                  # not a comment: shell text
                  echo "{{ inputs.day }}" key: value

                  done
                type: shell
            """);
    assertThat(lines.get(1)).endsWith("<span class=\"y-p\">|</span>");
    assertThat(lines.get(2)).isEqualTo("      # not a comment: shell text");
    assertThat(lines.get(3))
        .isEqualTo("      echo &quot;<span class=\"y-t\">{{ inputs.day }}</span>&quot; key: value");
    assertThat(lines.get(4)).isEmpty();
    assertThat(lines.get(5)).isEqualTo("      done");
    assertThat(lines.get(6)).contains("<span class=\"y-k\">type</span>");
  }

  @Test
  void flow_collections_keep_their_strings_and_an_unclosed_template_or_quote_ends_the_line() {
    assertThat(one("inputs: [a, \"b # c\"] # d"))
        .contains("<span class=\"y-s\">&quot;b # c&quot;</span>")
        .endsWith("<span class=\"y-c\"># d</span>");
    assertThat(one("x: \"{{ unclosed")).endsWith("<span class=\"y-t\">{{ unclosed</span></span>");
    assertThat(one("x: {{ a }}")).contains("<span class=\"y-t\">{{ a }}</span>");
    assertThat(one("- {id: day, type: date, required: true, n: 3, d: \"{{ x }}\"}"))
        .isEqualTo(
            "<span class=\"y-p\">-</span> {<span class=\"y-k\">id</span><span"
                + " class=\"y-p\">:</span> day, <span class=\"y-k\">type</span><span"
                + " class=\"y-p\">:</span> date, <span class=\"y-k\">required</span><span"
                + " class=\"y-p\">:</span> <span class=\"y-l\">true</span>, <span"
                + " class=\"y-k\">n</span><span class=\"y-p\">:</span> <span"
                + " class=\"y-l\">3</span>, <span class=\"y-k\">d</span><span"
                + " class=\"y-p\">:</span> <span class=\"y-s\">&quot;<span"
                + " class=\"y-t\">{{ x }}</span>&quot;</span>}");
    assertThat(one("url: {u: http://x/a#b}")).contains("http://x/a#b}").doesNotContain("y-c");
  }

  @Test
  void one_html_line_per_line_of_text_including_blank_ones() {
    assertThat(YamlHighlighter.lines("a: 1\r\n\r\nb: 2\n")).hasSize(3);
    assertThat(YamlHighlighter.lines("")).isEmpty();
    assertThat(one("---")).isEqualTo("<span class=\"y-p\">---</span>");
  }
}
