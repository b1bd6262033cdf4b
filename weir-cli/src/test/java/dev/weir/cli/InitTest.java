package dev.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InitTest {
  @TempDir Path dir;

  @Test
  void init_scaffolds_a_project_whose_flow_runs_green() throws Exception {
    Path project = dir.resolve("shop");
    Cli.Result r = Cli.run("init", project.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out())
        .isEqualTo(
            "Created a Weir project in "
                + project
                + ":\n"
                + "  weir.yaml              project settings (connections)\n"
                + "  flows/hello.yaml       a first flow: read a CSV, keep paid orders, check\n"
                + "  flows/data/orders.csv  its data\n"
                + "  .gitignore             keeps .weir/ (runs and staged data) out of git\n"
                + "\n"
                + "Run its flow:\n"
                + "  weir run "
                + project.resolve("flows/hello.yaml")
                + "\n");
    assertThat(Files.readString(project.resolve(".gitignore"))).contains("\n.weir/\n");
    String flow = Files.readString(project.resolve("flows/hello.yaml"));
    assertThat(flow)
        .startsWith("# Editor schema: for completion and checks as you type,")
        .contains("#   weir schema > weir-flow.schema.json\n")
        .contains("#   # yaml-language-server: $schema=../weir-flow.schema.json\n")
        .contains("namespace: shop\n");
    assertThat(project.resolve("weir.yaml")).isRegularFile();
    assertThat(project.resolve("flows/data/orders.csv")).isRegularFile();

    Cli.Result valid = Cli.run("validate", project.resolve("flows").toString());
    assertThat(valid.exit()).as(valid.err()).isZero();
    assertThat(valid.out()).endsWith("1 valid, 0 invalid\n");

    Cli.Result run = Cli.run("run", project.resolve("flows/hello.yaml").toString(), "--json");
    assertThat(run.exit()).as(run.out() + run.err()).isZero();
    JsonNode summary = new ObjectMapper().readTree(run.out());
    assertThat(summary.path("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(summary.path("namespace").asText()).isEqualTo("shop");
    assertThat(summary.path("tasks").toString())
        .contains("{\"id\":\"orders\",\"state\":\"SUCCEEDED\"")
        .contains("\"rows\":5")
        .contains("{\"id\":\"paid\",\"state\":\"SUCCEEDED\"")
        .contains("\"rows\":3")
        .contains("{\"id\":\"check\",\"state\":\"SUCCEEDED\"");
  }

  @Test
  void init_refuses_to_overwrite_and_writes_nothing() throws Exception {
    assertThat(Cli.run("init", dir.toString()).exit()).isZero();
    Files.writeString(dir.resolve("weir.yaml"), "# mine\n");
    Files.delete(dir.resolve("flows/data/orders.csv"));

    Cli.Result again = Cli.run("init", dir.toString());
    assertThat(again.exit()).isEqualTo(2);
    assertThat(again.out()).isEmpty();
    assertThat(again.err())
        .isEqualTo(
            "error: cannot init a project in "
                + dir.toAbsolutePath().normalize()
                + ": weir.yaml, flows/hello.yaml already exist; weir init never overwrites"
                + " files: choose another directory, e.g. `weir init my-project`\n");
    assertThat(Files.readString(dir.resolve("weir.yaml"))).isEqualTo("# mine\n");
    assertThat(dir.resolve("flows/data/orders.csv")).doesNotExist();
  }

  @Test
  void init_adds_the_state_directory_to_an_existing_gitignore() throws Exception {
    Files.writeString(dir.resolve(".gitignore"), "target/");
    Cli.Result r = Cli.run("init", dir.toString());
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("  .gitignore             added .weir/ to the existing file\n");
    assertThat(Files.readString(dir.resolve(".gitignore"))).isEqualTo("target/\n.weir/\n");
  }

  @Test
  void init_names_the_namespace_after_the_directory() {
    assertThat(InitCommand.namespace(Path.of("/work/My Shop"))).isEqualTo("my_shop");
    assertThat(InitCommand.namespace(Path.of("/work/--"))).isEqualTo("project");
  }

  @Test
  void init_without_a_directory_makes_the_project_here() throws Exception {
    Path here = Files.createDirectories(dir.resolve("here"));
    Process p = Cli.child(here, Map.of("WEIR_COMMAND", "weir"), "init");
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(Files.readString(here.resolve("child.err"))).isZero();
    assertThat(Files.readString(here.resolve("child.out")))
        .startsWith("Created a Weir project in .:\n")
        .endsWith("Run its flow:\n  weir run flows/hello.yaml\n");
    assertThat(here.resolve("weir.yaml")).isRegularFile();
    assertThat(Files.readString(here.resolve("flows/hello.yaml"))).contains("namespace: here\n");
  }
}
