package dev.weir.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.task.Dataset;
import dev.weir.task.TaskLogger;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a staged file is named in a shared store, whichever node's directory it is in. */
class DatasetStagingTest {
  @Test
  void a_key_is_the_path_from_the_run_on_whatever_the_nodes_directory() {
    Path onA =
        Path.of(
            "/srv/a/.weir/staging-cache/0mxrun1/group[eu]/load/attempt-2-0a1b2c3d/data.parquet");
    Path onB =
        Path.of("/home/w2/staging-cache/0mxrun1/group[eu]/load/attempt-2-0a1b2c3d/data.parquet");

    assertThat(DatasetStaging.key("0mxrun1", onA))
        .isEqualTo("0mxrun1/group[eu]/load/attempt-2-0a1b2c3d/data.parquet")
        .isEqualTo(DatasetStaging.key("0mxrun1", onB));
    assertThat(DatasetStaging.key("0mxrun1", Path.of("/data/orders.parquet"))).isNull();
    assertThat(DatasetStaging.key("0mxrun1", Path.of("/staging/0mxrun1"))).isNull();
  }

  @Test
  void without_a_shared_store_attempts_keep_their_directories_and_datasets_their_paths() {
    var staging = new DatasetStaging(StagingArea.local(Path.of("/srv/.weir/staging")));
    var d =
        new Dataset(
            "orders",
            Path.of("/elsewhere/0mxrun1/orders/attempt-1/data.parquet"),
            List.of(),
            3,
            "ab");
    TaskLogger silent = (level, message) -> {};

    assertThat(staging.attemptDir(3)).isEqualTo("attempt-3");
    assertThat(staging.local("0mxrun1", "orders", d, silent)).isSameAs(d);
    staging.publish("0mxrun1", "orders", 1, d, silent); // nothing to copy to
    assertThat(staging.present("0mxrun1", d)).isFalse();
  }
}
