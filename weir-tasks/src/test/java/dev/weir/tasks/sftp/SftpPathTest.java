package dev.weir.tasks.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SftpPathTest {
  @Test
  void addresses_name_a_connection_and_an_absolute_path() {
    SftpPath p = SftpPath.parse("sftp://partner/outgoing/orders.csv");
    assertThat(p.authority()).isEqualTo("partner");
    assertThat(p.path()).isEqualTo("/outgoing/orders.csv");
    assertThat(p.isFile()).isTrue();
    assertThat(p.fileName()).isEqualTo("orders.csv");
    assertThat(p).hasToString("sftp://partner/outgoing/orders.csv");
    SftpPath plain = SftpPath.parse("outgoing/orders.csv");
    assertThat(plain.authority()).isNull();
    assertThat(plain.path()).isEqualTo("outgoing/orders.csv");
  }

  @Test
  void directories_and_globs_select_below_their_base() {
    SftpPath dir = SftpPath.parse("/out/");
    assertThat(dir.isDirectory()).isTrue();
    assertThat(dir.base()).isEqualTo("/out/");
    assertThat(dir.depth()).isEqualTo(-1);
    assertThat(dir.matcher().test("/out/day/a.csv")).isTrue();

    SftpPath glob = SftpPath.parse("sftp://partner/out/*/x-?.csv");
    assertThat(glob.base()).isEqualTo("/out/");
    assertThat(glob.depth()).isEqualTo(1);
    assertThat(glob.matcher().test("/out/day/x-1.csv")).isTrue();
    assertThat(glob.matcher().test("/out/a/b/x-1.csv")).isFalse();
    assertThat(SftpPath.parse("/out/**.csv").matcher().test("/out/a/b/x.csv")).isTrue();
    assertThat(SftpPath.parse("/out/**.csv").depth()).isEqualTo(-1);
  }

  @Test
  void bad_addresses_say_what_to_write() {
    assertThatThrownBy(() -> SftpPath.parse("sftp:///out/a.csv"))
        .hasMessageContaining("has no connection or host")
        .hasMessageContaining("sftp://partner/outgoing/orders.csv");
    assertThatThrownBy(() -> SftpPath.parse("sftp://partner")).hasMessageContaining("has no path");
    assertThatThrownBy(() -> SftpPath.parse("ftp://partner/a.csv"))
        .hasMessageContaining("is not an SFTP path");
  }
}
