package dev.weir.cli;

import dev.weir.WeirException;
import dev.weir.config.ProjectConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Weir's home: the H2 state store and the staged datasets. Every command finds it by one rule
 * (docs/cli.md, "The home"): {@code --home DIR}; else {@code .weir} beside the nearest {@code
 * weir.yaml} upward — from the flow's directory first when there is a flow, then from the current
 * directory; else {@code $WEIR_HOME}; else {@code ~/.weir}.
 *
 * @param origin why this directory, for headers and errors: "found from /p/weir.yaml"
 */
record Home(Path dir, String origin) {
  static final String RULE =
      "--home DIR, else .weir beside the nearest weir.yaml upward, else $WEIR_HOME, else ~/.weir";
  static final String DIR_NAME = ".weir";

  /**
   * @param explicit {@code --home}, or null
   * @param flowDir the directory of the flow (or flows) the command works on, searched before the
   *     current directory; null when it has none
   */
  static Home resolve(Surroundings s, Path explicit, Path flowDir) {
    if (explicit != null) {
      return new Home(s.resolve(explicit), "given with --home");
    }
    var starts = new LinkedHashSet<Path>();
    if (flowDir != null) {
      starts.add(s.resolve(flowDir));
    }
    starts.add(s.cwd());
    for (Path start : starts) {
      for (Path d = start; d != null; d = d.getParent()) {
        Path project = d.resolve(ProjectConfig.FILE_NAME);
        if (Files.isRegularFile(project)) {
          return new Home(d.resolve(DIR_NAME), "found from " + project);
        }
      }
    }
    String env = s.env("WEIR_HOME");
    if (env != null) {
      return new Home(s.resolve(Path.of(env)), "from $WEIR_HOME");
    }
    List<String> searched = new ArrayList<>();
    starts.forEach(p -> searched.add(p.toString()));
    return new Home(
        s.userHome().resolve(DIR_NAME),
        "the default: no weir.yaml in "
            + String.join(" or ", searched)
            + " or above, and $WEIR_HOME is not set");
  }

  /** For commands that only read: a home that does not exist is a mistake, not an empty one. */
  Home requireExisting() {
    if (!Files.isDirectory(dir)) {
      throw new WeirException(
          "no Weir home at "
              + dir
              + " ("
              + origin
              + "); run a flow first, or choose the home with --home DIR (the rule: "
              + RULE
              + ")");
    }
    return this;
  }

  @Override
  public String toString() {
    return dir + " (" + origin + ")";
  }
}
