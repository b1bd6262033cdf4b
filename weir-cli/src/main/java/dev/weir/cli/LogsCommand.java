package dev.weir.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.store.LogLine;
import dev.weir.store.RunRecord;
import dev.weir.store.StateStore;
import java.io.PrintWriter;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "logs", description = "Print a run's task logs.")
final class LogsCommand implements Callable<Integer> {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "RUN_ID")
  String runId;

  @Option(names = "--task", description = "Only this task's lines.")
  String task;

  @Option(names = "--json", description = "One JSON object per line, as stored.")
  boolean json;

  @Mixin StoreOptions storeOptions;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    var mapper = new ObjectMapper();
    try (StateStore store = storeOptions.openExisting(storeOptions.home(null))) {
      RunRecord run = store.resolveRun(runId);
      for (LogLine l : store.logs(run.id(), task)) {
        if (json) {
          var o = new LinkedHashMap<String, Object>();
          o.put("time", l.time().toString());
          o.put("level", l.level());
          o.put("run", l.runId());
          o.put("task", l.taskId());
          o.put("attempt", l.attempt());
          o.put("message", l.message());
          out.println(mapper.writeValueAsString(o));
        } else {
          String prefix =
              String.format(
                  "%s %-5s %s#%d  ", TIME.format(l.time()), l.level(), l.taskId(), l.attempt());
          String indent = " ".repeat(prefix.length());
          out.println(prefix + l.message().replace("\n", "\n" + indent));
        }
      }
      return 0;
    }
  }
}
