package dev.weir.server.triggers;

import dev.weir.config.ConnectionConfig;
import dev.weir.flow.trigger.FileTrigger;
import dev.weir.flow.trigger.OnProcessed;
import dev.weir.task.TaskFailedException;
import dev.weir.task.TaskLogger;
import dev.weir.tasks.sftp.SftpEntry;
import dev.weir.tasks.sftp.SftpPath;
import dev.weir.tasks.sftp.SftpSession;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A glob on an SFTP server ({@code sftp://partner/outgoing/*.csv}), read with the connection, host
 * key checking and glob rules of the sftp tasks ({@link SftpSession}, {@link SftpPath}); {@code
 * /**}{@code /} also matches no folder, as on disk. One login per poll.
 */
final class SftpFiles implements FileSource {
  private final SftpSession session;
  private final SftpPath glob;
  private final Predicate<String> matches;
  private final SftpPath moveTo;

  SftpFiles(FileTrigger trigger, ConnectionConfig connection, Path flowDir, TaskLogger logger) {
    this.glob = SftpPath.parse(trigger.path());
    Predicate<String> m = glob.matcher();
    if (glob.path().contains("/**/")) {
      m = m.or(glob.withPath(glob.path().replace("/**/", "/")).matcher());
    }
    this.moveTo =
        trigger.onProcessed() == OnProcessed.MOVE ? folder(SftpPath.parse(trigger.moveTo())) : null;
    this.matches = m.and(p -> moveTo == null || !p.startsWith(moveTo.path()));
    // a refused login is a TaskFailedException, a WeirException the poll loop reports once
    this.session =
        SftpSession.connect(connection, flowDir, logger, "file trigger '" + trigger.id() + "'");
  }

  private static SftpPath folder(SftpPath p) {
    return p.path().endsWith("/") ? p : p.withPath(p.path() + "/");
  }

  @Override
  public List<FoundFile> list() throws IOException {
    // list from the glob's directory, every depth when ** may need it, then match here
    SftpPath from = glob.path().contains("/**/") ? glob.withPath(glob.base() + "**") : glob;
    var out = new ArrayList<FoundFile>();
    for (SftpEntry e : call(() -> session.select(from))) {
      if (matches.test(e.path())) {
        out.add(new FoundFile(glob.withPath(e.path()).toString(), e.size(), e.lastModified()));
      }
    }
    return out;
  }

  @Override
  public Optional<FoundFile> stat(String path) throws IOException {
    SftpEntry e = call(() -> session.stat(SftpPath.parse(path).path()));
    return e == null
        ? Optional.empty()
        : Optional.of(new FoundFile(path, e.size(), e.lastModified()));
  }

  @Override
  public String move(FoundFile file, String suffix) throws IOException {
    SftpPath from = SftpPath.parse(file.path());
    SftpPath to = moveTo.withPath(moveTo.path() + file.name());
    if (stat(to.toString()).isPresent()) {
      to = moveTo.withPath(moveTo.path() + FileSource.suffixed(file.name(), suffix));
    }
    SftpPath target = to;
    call(() -> {
      session.move(from.path(), target.path());
      return null;
    });
    return target.toString();
  }

  @Override
  public void delete(FoundFile file) throws IOException {
    call(() -> session.delete(SftpPath.parse(file.path()).path()));
  }

  private interface Call<T> {
    T run();
  }

  /** The session's failures as the IOException the trigger loop reports and retries. */
  private static <T> T call(Call<T> call) throws IOException {
    try {
      return call.run();
    } catch (TaskFailedException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    session.close();
  }
}
