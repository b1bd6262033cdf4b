package dev.weir.util;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JdbcUrlsTest {
  @Test
  void a_password_parameter_and_a_user_info_password_are_masked() {
    assertThat(JdbcUrls.redact("jdbc:postgresql://db/x?user=weir&password=s3cret&ssl=true"))
        .isEqualTo("jdbc:postgresql://db/x?user=weir&password=******&ssl=true");
    assertThat(JdbcUrls.redact("jdbc:mariadb://weir:s3cret@db:3306/x"))
        .isEqualTo("jdbc:mariadb://weir:******@db:3306/x");
    assertThat(JdbcUrls.redact("jdbc:h2:file:/srv/state;PASSWORD=s3cret;AUTO_SERVER=TRUE"))
        .isEqualTo("jdbc:h2:file:/srv/state;PASSWORD=******;AUTO_SERVER=TRUE");
  }

  @Test
  void masking_a_stack_trace_stops_at_the_end_of_the_url() {
    String trace =
        "cannot open jdbc:postgresql://db/x?password=s3cret\n\tat org.postgresql.Driver(Driver.java)";
    assertThat(JdbcUrls.redact(trace))
        .isEqualTo(
            "cannot open jdbc:postgresql://db/x?password=******\n"
                + "\tat org.postgresql.Driver(Driver.java)");
  }

  @Test
  void a_drivers_echo_of_the_password_is_masked_too() {
    String url = "jdbc:postgresql://weir:s3cret@127.0.0.1:5432/x";
    assertThat(JdbcUrls.scrub("java.net.UnknownHostException: weir:s3cret@127.0.0.1", url))
        .isEqualTo("java.net.UnknownHostException: weir:******@127.0.0.1");
  }
}
