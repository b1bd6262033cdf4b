package dev.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.BuildInfo;
import org.junit.jupiter.api.Test;

class VersionTest {
  @Test
  void version_prints_the_maven_version_commit_and_build_time_not_dev() {
    BuildInfo b = BuildInfo.current();
    for (String flag : new String[] {"--version", "-V"}) {
      Cli.Result r = Cli.run(flag);
      assertThat(r.exit()).isZero();
      assertThat(r.out())
          .isEqualTo(
              "weir " + b.version() + " (commit " + b.commit() + ", built " + b.built() + ")\n")
          .doesNotContain("weir dev")
          .matches(
              "weir \\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\(commit ([0-9a-f]{7,}|unknown), built"
                  + " \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\\)\n");
    }
  }
}
