package dev.weir.task;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A process a task runs (a shell command, a script): started in a process group of its own, told to
 * the engine so that a resume after a crash can end it, and ended with everything it started when
 * the attempt is cancelled or times out.
 *
 * <p>Its own group (a new session, through util-linux's {@code setsid}) means a Ctrl-C in the
 * terminal reaches Weir only, which then cancels the run and ends the group: the command never sees
 * the terminal's SIGINT and cannot fail with exit code 130 before Weir records CANCELLED. Where
 * {@code setsid} is missing the process stays in Weir's group and is ended by its tree.
 */
public final class ChildProcess {
  private static final String SETSID = find("setsid");

  private final Process process;
  private final Long pgid;
  private final Instant startedAt;

  private ChildProcess(Process process, Long pgid, Instant startedAt) {
    this.process = process;
    this.pgid = pgid;
    this.startedAt = startedAt;
  }

  /**
   * Starts {@code builder}'s command in a group of its own (the builder's command is changed to do
   * so), reports it through {@link TaskContext#processStarted} before the command runs, and ends it
   * on cancel. The command's stdin is the process's output stream, as with {@link Process}.
   */
  public static ChildProcess start(ProcessBuilder builder, TaskContext context) throws IOException {
    boolean ownGroup = SETSID != null;
    List<String> command = new ArrayList<>();
    if (ownGroup) {
      // -w: should setsid ever have to fork, it still waits and passes the exit code on
      command.addAll(List.of(SETSID, "-w"));
    }
    // The command waits for one line on stdin before it runs, so it does nothing until it is
    // recorded: if Weir dies first, the pipe closes, the read fails and the command never runs.
    command.addAll(List.of("sh", "-c", "read -r _ && exec \"$@\"", "weir-task"));
    command.addAll(builder.command());
    builder.command(command);
    Process process = builder.start();
    var child =
        new ChildProcess(
            process, ownGroup ? process.pid() : null, process.info().startInstant().orElse(null));
    context.onCancel(child::end);
    try {
      context.processStarted(process.toHandle(), ownGroup);
      process.getOutputStream().write('\n');
      process.getOutputStream().flush();
    } catch (IOException | RuntimeException e) {
      child.end();
      throw e;
    }
    return child;
  }

  public Process process() {
    return process;
  }

  /** Ends the process and everything it started (SIGTERM, then SIGKILL after a grace). */
  public ProcessTree.Outcome end() {
    return ProcessTree.end(process.pid(), pgid, startedAt, ProcessTree.GRACE);
  }

  private static String find(String program) {
    for (String dir : List.of("/usr/bin", "/bin", "/usr/local/bin", "/usr/sbin", "/sbin")) {
      Path p = Path.of(dir, program);
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    return null;
  }
}
