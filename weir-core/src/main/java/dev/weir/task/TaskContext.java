package dev.weir.task;

import dev.weir.config.ConnectionConfig;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Map;

/** What a running task attempt can see and use. */
public interface TaskContext {
  String runId();

  String flowId();

  String namespace();

  String taskId();

  int attempt();

  TaskLogger logger();

  /** The directory of the flow file; relative paths in a flow resolve against it. */
  Path workDir();

  /** This task's own staging directory in this run; it exists and is empty at each attempt. */
  Path stagingDir();

  /**
   * The dataset staged by task {@code taskId} in this run.
   *
   * @throws TaskFailedException when that task made none
   */
  Dataset dataset(String taskId);

  /** Datasets of every task this one (transitively) depends on, by task id. */
  Map<String, Dataset> upstreamDatasets();

  /**
   * A connection by name from {@code weir.yaml}, secrets resolved.
   *
   * @throws TaskFailedException naming the known connections when there is none
   */
  ConnectionConfig connection(String name);

  /**
   * State this task kept in the last successful run of this flow (see {@link
   * TaskResult#withState}), e.g. an incremental watermark.
   */
  java.util.Optional<String> state(String key);

  /**
   * Stores this attempt's quality check results with the run, replacing any this attempt stored
   * before; runs and the API list them, and later runs read them as history.
   */
  void saveChecks(java.util.List<dev.weir.store.CheckRecord> checks);

  /**
   * Row counts of task {@code taskId}'s dataset in the last {@code runs} successful runs of this
   * flow (this run left out), newest first.
   */
  java.util.List<Long> pastRowCounts(String taskId, int runs);

  /** Environment for child processes: the process environment without Weir's secrets. */
  Map<String, String> environment();

  /** Replaces every known secret value in {@code text} with {@code ******}. */
  String mask(String text);

  /** Runs {@code hook} when the attempt is cancelled or timed out (kill a process, cancel SQL). */
  void onCancel(Runnable hook);

  boolean isCancelled();

  /**
   * Tells the engine that this attempt started {@code process}. It is stored with the attempt at
   * once, so that when Weir is killed while the process runs, a resume ends it (if it is still the
   * same process: same pid and start time) before the task runs again. {@link ChildProcess#start}
   * calls this; a task that starts processes another way should call it for each.
   *
   * @param ownGroup whether the process leads its own process group, so that ending the group ends
   *     everything it started
   */
  default void processStarted(ProcessHandle process, boolean ownGroup) {}

  InstantSource clock();

  /** Where a continuous task reports its batches and lost positions (metrics and alerts). */
  default StreamProgress stream() {
    return StreamProgress.NONE;
  }

  /**
   * Where this attempt sets aside records it cannot process (the task's {@code deadLetter:}
   * setting); {@link dev.weir.deadletter.DeadLetters#NONE} when it has none, and then a bad record
   * fails the task. Only types whose {@link TaskType#setsRecordsAside()} is true get one.
   */
  default dev.weir.deadletter.DeadLetters deadLetters() {
    return dev.weir.deadletter.DeadLetters.NONE;
  }

  /**
   * How the run wants stream tasks to end; a task's own setting (e.g. {@code stopWhen: caughtUp})
   * may end it sooner.
   */
  default StreamMode streamMode() {
    return StreamMode.CONTINUOUS;
  }

  /**
   * Where this task keeps its position in a stream (change data capture offsets), per task of this
   * flow, across runs.
   */
  StreamOffsets streamOffsets();

  /** Runs of other flows this attempt starts as children of its run (the {@code subflow} task). */
  Subflows subflows();

  /**
   * Child task runs of this attempt, each stored and shown as a task run of its own (e.g. the
   * models of a {@code sql.models} task). Contexts that store none log them ({@link
   * Steps#loggingTo}).
   */
  default Steps steps() {
    return Steps.loggingTo(logger());
  }
}
