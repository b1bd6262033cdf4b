package dev.weir.server;

import dev.weir.config.ProjectConfig;
import dev.weir.engine.RunListeners;
import dev.weir.engine.StagingArea;
import dev.weir.expr.Masker;
import dev.weir.logs.JsonLogFiles;
import dev.weir.logs.LogRetention;
import dev.weir.staging.StagingGc;
import dev.weir.staging.StagingPolicy;
import dev.weir.staging.StagingRetention;
import dev.weir.store.JdbcStateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a {@link WeirServer} keeps of its runs outside the store, and for how long: the JSON-lines
 * log files ({@code logs.files}), their retention ({@code logs.retention}), and the retention of
 * finished runs' staging ({@code staging:} of weir.yaml). {@link ServerLoops} sweeps them.
 *
 * @param logFiles null when {@code logs.files: false}
 * @param logRetention null when {@code logs.retention} is not set
 */
record ServerHousekeeping(JsonLogFiles logFiles, LogRetention logRetention, StagingGc stagingGc) {
  // the server's log, as before this class was split from it
  private static final Logger log = LoggerFactory.getLogger(WeirServer.class);

  /** Makes them, adding to {@code listeners} those that hear runs change (log files, staging). */
  static ServerHousekeeping open(
      ServerOptions options,
      JdbcStateStore store,
      StagingArea staging,
      Masker masker,
      RunListeners listeners) {
    Observability obs = options.observability();
    JsonLogFiles logFiles =
        obs.logFiles() ? new JsonLogFiles(obs.logDir(options.home()), store, masker) : null;
    if (logFiles != null) {
      listeners.add(logFiles);
    }
    LogRetention logRetention =
        obs.logRetention() == null
            ? null
            // files of earlier runs go too when files are turned off
            : new LogRetention(
                store, obs.logDir(options.home()), obs.logRetention(), options.clock());
    var stagingGc = new StagingGc(store, staging, stagingPolicy(options), options.clock());
    listeners.add(new StagingRetention(stagingGc));
    log.info("staging of finished runs: {} (staging: in weir.yaml)", stagingGc.policy());
    return new ServerHousekeeping(logFiles, logRetention, stagingGc);
  }

  /** {@code staging:} of the weir.yaml in or above the flows directory. */
  private static StagingPolicy stagingPolicy(ServerOptions options) {
    try {
      return ProjectConfig.find(options.deployDir()).staging();
    } catch (RuntimeException e) {
      // a bad weir.yaml fails the flows that use it, as before; it must not stop the server
      log.warn("staging retention uses its defaults: {}", e.getMessage());
      return StagingPolicy.DEFAULT;
    }
  }
}
