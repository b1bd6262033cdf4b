package dev.weir;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BuildInfoTest {
  @Test
  void the_jar_carries_the_maven_version_and_build_time() {
    BuildInfo b = BuildInfo.current();
    assertThat(b.version()).matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?").isNotEqualTo("dev");
    assertThat(b.built()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");
    assertThat(b.describe())
        .isEqualTo(b.version() + " (commit " + b.commit() + ", built " + b.built() + ")");
  }

  @Test
  void the_commit_is_the_checked_out_one_when_built_from_git() throws Exception {
    if (!insideGit()) {
      assertThat(BuildInfo.current().commit()).isEqualTo("unknown");
      return;
    }
    Process git = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
    String head = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(git.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(BuildInfo.current().commit()).matches("[0-9a-f]{7,}");
    assertThat(head).startsWith(BuildInfo.current().commit());
  }

  @Test
  void values_maven_could_not_fill_in_read_as_unknown() throws Exception {
    String text = "version=0.2.0\ncommit=${git.commit.id.abbrev}\nbuilt=\n";
    BuildInfo b = BuildInfo.parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    assertThat(b).isEqualTo(new BuildInfo("0.2.0", "unknown", "unknown"));
    assertThat(b.describe()).isEqualTo("0.2.0 (commit unknown, built unknown)");
  }

  private static boolean insideGit() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      if (Files.exists(d.resolve(".git"))) {
        return true;
      }
    }
    return false;
  }
}
