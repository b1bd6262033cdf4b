package dev.weir.server.ui;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.deadletter.DeadLetterStorage;
import dev.weir.deadletter.DeadLetterStorages;
import dev.weir.deadletter.LocalDirStorage;
import dev.weir.deadletter.ReplayFlow;
import dev.weir.expr.Masker;
import dev.weir.store.DeadLetterRecord;
import dev.weir.store.DeadLetterStore;
import dev.weir.store.TaskRunRecord;
import dev.weir.store.TaskState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dead letters of one run as its page shows them: each batch with its task, counts, first
 * reason, a masked preview of its first letters and the command that deals with it (a replay, or a
 * retry of the run when a replay would be wrong), grouped by task for the tasks table.
 */
final class RunDeadLetters {
  /** Batches a page lists; their letters stay in the store's index. */
  static final int BATCHES = 200;

  /** Letters previewed per batch, and batches previewed per page: the reads stay small. */
  static final int PREVIEW_LETTERS = 3;

  static final int PREVIEWED_BATCHES = 20;

  /** Characters of a record shown before it is cut. */
  static final int RECORD_CHARS = 240;

  /** One letter as previewed: why, and the record as JSON, both masked and cut. */
  public record Letter(String reason, String record) {}

  /**
   * One batch.
   *
   * @param failed whether its attempt failed (set aside more than maxRejected): nothing was kept
   * @param command what to run about it, e.g. {@code weir deadletters replay 3f2a…}
   * @param advice why that command, when it is not a replay
   * @param previewNote why there is no preview (letters kept in S3 or a table); empty otherwise
   */
  public record Batch(
      String id,
      String task,
      int attempt,
      long letters,
      long handled,
      String firstReason,
      String location,
      String replayed,
      boolean failed,
      String command,
      String advice,
      List<Letter> preview,
      String previewNote) {}

  private final Masker masker;

  RunDeadLetters(Masker masker) {
    this.masker = masker;
  }

  /** The run's batches, oldest first. */
  List<Batch> of(String runId, DeadLetterStore index, List<TaskRunRecord> taskRuns) {
    var states = new LinkedHashMap<String, TaskState>();
    for (TaskRunRecord t : taskRuns) {
      states.put(t.taskId() + "#" + t.attempt(), t.state());
    }
    var out = new ArrayList<Batch>();
    for (DeadLetterRecord b : index.list(null, null, runId, BATCHES).reversed()) {
      if (runId.equals(b.runId())) {
        TaskState state = states.get(b.taskId() + "#" + b.attempt());
        out.add(batch(b, state == TaskState.FAILED, out.size() < PREVIEWED_BATCHES));
      }
    }
    return out;
  }

  /** The batches by task id. */
  static Map<String, List<Batch>> byTask(List<Batch> batches) {
    var out = new LinkedHashMap<String, List<Batch>>();
    for (Batch b : batches) {
      out.computeIfAbsent(b.task(), k -> new ArrayList<>()).add(b);
    }
    return out;
  }

  private Batch batch(DeadLetterRecord b, boolean failed, boolean preview) {
    String cannot = ReplayFlow.cannotReplay(b.taskType(), b.runId());
    String command;
    String advice = "";
    if (failed) {
      command = "weir retry " + b.runId();
      advice =
          "The attempt set aside more than maxRejected and kept nothing: fix the data and retry"
              + " the run (a replay would load these rows without the good ones).";
    } else if (cannot != null) {
      command = "weir retry " + b.runId();
      advice = cannot + ".";
    } else {
      command = "weir deadletters replay " + b.id() + (b.replayedAt() == null ? "" : " --force");
    }
    List<Letter> letters = List.of();
    String note = "";
    if (!preview) {
      note = "Not previewed here: `weir deadletters show " + b.id() + "` shows them.";
    } else if (!new LocalDirStorage().reads(b.location())) {
      note =
          "Kept in "
              + (b.location().startsWith("s3://") ? "S3" : "a table")
              + ", which this page does not read: `weir deadletters show "
              + b.id()
              + "` shows them.";
    } else {
      try {
        letters = preview(b.location());
      } catch (Exception e) {
        note =
            "The letters cannot be read ("
                + masker.mask(e.getClass().getSimpleName() + ": " + e.getMessage())
                + "): was "
                + b.location()
                + " moved or deleted?";
      }
    }
    return new Batch(
        b.id(),
        b.taskId(),
        b.attempt(),
        b.letters(),
        b.handled(),
        b.firstReason() == null ? "" : masker.mask(b.firstReason()),
        masker.mask(b.location()),
        b.replayedAt() == null ? "" : b.replayOutcome() + " (run " + b.replayRun() + ")",
        failed,
        command,
        advice,
        letters,
        note);
  }

  // the sink masked them when it wrote them; masked again for a secret added since
  private List<Letter> preview(String location) throws Exception {
    if (!Files.isRegularFile(Path.of(location))) {
      throw new java.nio.file.NoSuchFileException(location);
    }
    List<ObjectNode> read =
        DeadLetterStorages.forLocation(location)
            .read(
                location,
                PREVIEW_LETTERS,
                new DeadLetterStorage.Environment(Path.of(location).getParent(), name -> null));
    var out = new ArrayList<Letter>();
    for (ObjectNode l : read) {
      out.add(
          new Letter(
              cut(masker.mask(l.path("reason").asText(""))),
              cut(masker.mask(String.valueOf(l.get("record"))))));
    }
    return out;
  }

  private static String cut(String s) {
    return s.length() <= RECORD_CHARS ? s : s.substring(0, RECORD_CHARS) + "…";
  }
}
