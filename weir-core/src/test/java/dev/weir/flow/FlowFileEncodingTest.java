package dev.weir.flow;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.WeirException;
import dev.weir.task.TaskRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlowFileEncodingTest {
  @TempDir Path dir;

  @Test
  void a_flow_file_that_is_not_utf8_names_the_byte_its_offset_and_line() throws Exception {
    Path file = dir.resolve("garbage.yaml");
    // "id: garbage\n" is 12 bytes; 0xFF is the fifth byte of line 2
    byte[] head = "id: garbage\nname".getBytes(StandardCharsets.US_ASCII);
    byte[] bytes = new byte[head.length + 4];
    System.arraycopy(head, 0, bytes, 0, head.length);
    bytes[head.length] = (byte) 0xFF;
    bytes[head.length + 1] = ':';
    bytes[head.length + 2] = ' ';
    bytes[head.length + 3] = 'x';
    Files.write(file, bytes);

    assertThatThrownBy(() -> new FlowParser(TaskRegistry.load()).parse(file))
        .isExactlyInstanceOf(WeirException.class)
        .hasMessage(file + " is not UTF-8 text (byte 0xFF at offset 16, line 2); save it as UTF-8")
        .hasMessageNotContaining("Input length");
  }

  @Test
  void a_latin1_flow_file_names_the_accented_byte() throws Exception {
    Path file = dir.resolve("latin.yaml");
    Files.write(file, "id: caf\u00e9\ntasks: []\n".getBytes(StandardCharsets.ISO_8859_1));

    assertThatThrownBy(() -> new FlowParser(TaskRegistry.load()).parse(file))
        .hasMessage(file + " is not UTF-8 text (byte 0xE9 at offset 7, line 1); save it as UTF-8");
  }

  @Test
  void a_missing_flow_file_still_says_it_cannot_be_read() {
    Path file = dir.resolve("nope.yaml");
    assertThatThrownBy(() -> new FlowParser(TaskRegistry.load()).parse(file))
        .hasMessageStartingWith("cannot read flow file " + file + ": ");
  }
}
