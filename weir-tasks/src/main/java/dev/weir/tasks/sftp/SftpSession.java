package dev.weir.tasks.sftp;

import dev.weir.config.ConnectionConfig;
import dev.weir.task.TaskContext;
import dev.weir.task.TaskFailedException;
import dev.weir.task.TaskLogger;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;

/**
 * One task attempt's use of an SFTP server: a logged-in connection that is closed when the attempt
 * is cancelled, and the file operations, whose failures name the task, path and connection.
 */
public final class SftpSession implements AutoCloseable {
  private final SftpConnect.Opened opened;
  private final SftpClient sftp;
  private final String task;
  private final ConnectionConfig config;
  private final TaskLogger logger;
  private final UnaryOperator<String> mask;
  private final BooleanSupplier cancelled;

  private SftpSession(
      SftpConnect.Opened opened,
      String task,
      ConnectionConfig config,
      TaskLogger logger,
      UnaryOperator<String> mask,
      BooleanSupplier cancelled) {
    this.opened = opened;
    this.sftp = opened.sftp();
    this.task = task;
    this.config = config;
    this.logger = logger;
    this.mask = mask;
    this.cancelled = cancelled;
  }

  /**
   * Logs in outside a task, e.g. for a file trigger: {@code who} names the user in messages, and
   * relative knownHosts files resolve against {@code dir}.
   */
  public static SftpSession connect(
      ConnectionConfig config, Path dir, TaskLogger logger, String who) {
    SftpConnect.Opened opened = SftpConnect.open(config, dir, logger, t -> t, who);
    return new SftpSession(opened, who, config, logger, t -> t, () -> false);
  }

  /**
   * Logs in with the connection named by {@code connectionName}, or, when that is null, by the
   * {@code sftp://name/} of {@code path}.
   */
  public static SftpSession open(
      TaskContext context, String task, String connectionName, SftpPath path) {
    ConnectionConfig config = context.connection(connection(task, connectionName, path));
    if (connectionName != null && path.authority() != null) {
      String host = config.setting("host", null);
      if (!path.authority().equals(connectionName) && !path.authority().equals(host)) {
        throw TaskFailedException.permanent(
            task
                + ": "
                + path
                + " names '"
                + path.authority()
                + "', but connection '"
                + connectionName
                + "' is host "
                + host
                + "; write sftp://"
                + connectionName
                + path.path()
                + ", or a plain path such as "
                + path.path());
      }
    }
    SftpConnect.Opened opened =
        SftpConnect.open(config, context.workDir(), context.logger(), context::mask, task);
    context.onCancel(opened::close);
    return new SftpSession(
        opened, task, config, context.logger(), context::mask, context::isCancelled);
  }

  static String connection(String task, String connectionName, SftpPath path) {
    if (connectionName != null) {
      return connectionName;
    }
    if (path.authority() == null) {
      throw TaskFailedException.permanent(
          task
              + ": "
              + path
              + " names no server; set `connection:` to an sftp connection of weir.yaml, or"
              + " write sftp://<connection>"
              + (path.path().startsWith("/") ? "" : "/")
              + path.path());
    }
    return path.authority();
  }

  /** The file's size and modification time, or null when there is no such file. */
  public SftpEntry stat(String path) {
    try {
      SftpClient.Attributes a = sftp.stat(path);
      return new SftpEntry(path, a.getSize(), modified(a));
    } catch (IOException e) {
      if (missing(e)) {
        return null;
      }
      throw fail("stat of " + path, e);
    }
  }

  /** The regular files {@code path} names, in path order; a file path names itself if it exists. */
  public List<SftpEntry> select(SftpPath path) {
    if (path.isFile()) {
      SftpEntry e = stat(path.path());
      return e == null ? List.of() : List.of(e);
    }
    var found = new ArrayList<SftpEntry>();
    String base = path.base();
    walk(base.isEmpty() ? "." : base, base, path.depth(), path, found);
    found.sort(java.util.Comparator.comparing(SftpEntry::path));
    return found;
  }

  private void walk(String dir, String prefix, int depth, SftpPath path, List<SftpEntry> found) {
    List<SftpClient.DirEntry> entries = new ArrayList<>();
    try {
      sftp.readDir(dir).forEach(entries::add);
    } catch (IOException | RuntimeException e) {
      // the listing's iterator throws its IOException wrapped
      IOException io =
          e instanceof IOException x
              ? x
              : e.getCause() instanceof IOException c ? c : new IOException(e.getMessage(), e);
      if (missing(io)) {
        return; // a directory that is not there holds no files
      }
      throw fail("listing of " + dir, io);
    }
    for (SftpClient.DirEntry e : entries) {
      String name = e.getFilename();
      if (name.equals(".") || name.equals("..")) {
        continue;
      }
      String full = prefix + name;
      SftpClient.Attributes a = e.getAttributes();
      if (a.isDirectory()) {
        if (depth != 0) {
          walk(full, full + "/", depth - 1, path, found);
        }
      } else if (a.isRegularFile() && path.matcher().test(full)) {
        found.add(new SftpEntry(full, a.getSize(), modified(a)));
      }
      checkCancelled();
    }
  }

  /**
   * Downloads {@code remote} to {@code target} through {@code <target>.part}: a part left by an
   * earlier attempt is continued from its size when the remote file's size and modification time
   * are those it was started against (kept in {@code <target>.part.meta}); the target appears only
   * when complete.
   *
   * @return the bytes fetched by this call (less than the size when resumed)
   */
  public long download(SftpEntry remote, Path target) throws IOException {
    return new ResumableDownload(this, remote, target).run();
  }

  /** The handle's bytes from {@code offset} on, appended to {@code out}; progress goes to it. */
  long copy(String path, long offset, long size, OutputStream out) {
    byte[] buf = new byte[32 * 1024];
    long at = offset;
    try (SftpClient.CloseableHandle h = sftp.open(path, SftpClient.OpenMode.Read)) {
      while (at < size) {
        int n = sftp.read(h, at, buf, 0, (int) Math.min(buf.length, size - at));
        if (n < 0) {
          break;
        }
        out.write(buf, 0, n);
        at += n;
        checkCancelled();
      }
    } catch (IOException e) {
      throw fail("download of " + path + " (stopped at byte " + at + " of " + size + ")", e);
    } finally {
      try {
        out.flush();
      } catch (IOException e) {
        // the caller closes it and sees the error
      }
    }
    return at - offset;
  }

  /**
   * Uploads {@code file} to {@code remote} through {@code .<name>.weir-tmp} in the same directory,
   * renamed over the final name when complete: an interrupted upload never shows under the final
   * name. An existing file of that name is replaced.
   */
  public long upload(Path file, String remote) {
    int slash = remote.lastIndexOf('/');
    String dir = slash < 0 ? "" : remote.substring(0, slash + 1);
    String temp = dir + "." + remote.substring(slash + 1) + ".weir-tmp";
    long size;
    try {
      mkdirs(dir);
      try (InputStream in = Files.newInputStream(file);
          OutputStream out = sftp.write(temp)) {
        size = in.transferTo(out);
      }
      replace(temp, remote);
      return size;
    } catch (IOException e) {
      try {
        sftp.remove(temp);
      } catch (IOException | RuntimeException cleanup) {
        // the connection is gone; the temporary name is not the final one, a retry overwrites it
      }
      throw fail("upload of " + file + " to " + remote, e);
    }
  }

  /** Renames over {@code to}: atomically where the server offers posix-rename. */
  private void replace(String from, String to) throws IOException {
    if (sftp.getServerExtensions().containsKey("posix-rename@openssh.com")) {
      sftp.getExtension(
              org.apache.sshd.sftp.client.extensions.openssh.OpenSSHPosixRenameExtension.class)
          .posixRename(from, to);
      return;
    }
    if (sftp.getVersion() >= SftpConstants.SFTP_V5) {
      sftp.rename(from, to, SftpClient.CopyMode.Overwrite, SftpClient.CopyMode.Atomic);
      return;
    }
    // SFTP v3 without the extension: rename fails over an existing file
    if (stat(to) != null) {
      sftp.remove(to);
    }
    sftp.rename(from, to);
  }

  /** Creates {@code dir} and its parents as needed; {@code dir} may end in /. */
  private void mkdirs(String dir) throws IOException {
    while (dir.endsWith("/")) {
      dir = dir.substring(0, dir.length() - 1);
    }
    if (dir.isEmpty() || dir.equals(".") || stat(dir) != null) {
      return;
    }
    mkdirs(dir.substring(0, dir.lastIndexOf('/') + 1));
    try {
      sftp.mkdir(dir);
    } catch (SftpException e) {
      if (stat(dir) == null) {
        throw e;
      }
    }
  }

  /**
   * Deletes the file; one that is not there counts as deleted.
   *
   * @return whether it was there
   */
  public boolean delete(String path) {
    try {
      sftp.remove(path);
      return true;
    } catch (IOException e) {
      if (missing(e)) {
        return false;
      }
      throw fail("delete of " + path, e);
    }
  }

  /** Moves a file on the server, replacing what is at {@code to}. */
  public void move(String from, String to) {
    try {
      int slash = to.lastIndexOf('/');
      mkdirs(slash < 0 ? "" : to.substring(0, slash + 1));
      replace(from, to);
    } catch (IOException e) {
      throw fail("move of " + from + " to " + to, e);
    }
  }

  /** The lineage name of a remote path: namespace {@code sftp://host:port}. */
  public dev.weir.task.DatasetRef dataset(String path) {
    return new dev.weir.task.DatasetRef(
        "sftp://" + config.setting("host", "") + ":" + SftpConnect.port(config), path);
  }

  void checkCancelled() {
    if (cancelled.getAsBoolean()) {
      throw new TaskFailedException(task + " was cancelled", true, Map.of(), null);
    }
  }

  TaskLogger logger() {
    return logger;
  }

  private static boolean missing(IOException e) {
    return e instanceof SftpException s && s.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE;
  }

  private static Instant modified(SftpClient.Attributes a) {
    return a.getModifyTime() == null ? Instant.EPOCH : a.getModifyTime().toInstant();
  }

  TaskFailedException fail(String what, IOException e) {
    return SftpErrors.failure(task, what, opened.where(), e, this::scrub);
  }

  /** Masks the run's secrets and, whatever their source, the connection's credentials. */
  private String scrub(String text) {
    String masked = mask.apply(text);
    for (String key : ConnectionConfig.SECRET_SETTINGS) {
      String value = config.setting(key, null);
      if (value != null && !value.isEmpty()) {
        masked = masked.replace(value, "******");
      }
    }
    return masked;
  }

  @Override
  public void close() {
    opened.close();
  }
}
