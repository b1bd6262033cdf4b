package dev.weir.util;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * File system failures in a user's words. The JDK's messages are often the bare path ({@code
 * AccessDeniedException: /x/.weir}), which reads as if the path itself were the error.
 */
public final class IoErrors {
  private IoErrors() {}

  /** Why {@code e} happened: "permission denied", "not a directory", "read-only file system", … */
  public static String reason(IOException e) {
    return switch (e) {
      case AccessDeniedException a -> "permission denied";
      case NoSuchFileException n -> "no such file or directory";
      case NotDirectoryException n -> "not a directory";
      case FileAlreadyExistsException f -> "a file is already there";
      case FileSystemException f when f.getReason() != null -> lowerFirst(f.getReason());
      default -> e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    };
  }

  /** Whether {@code e} means this user may not do that there (and retrying cannot help). */
  public static boolean isPermission(Throwable e) {
    return find(e, AccessDeniedException.class).isPresent()
        || find(e, FileSystemException.class)
            .map(f -> f.getReason() != null && f.getReason().contains("not permitted"))
            .orElse(false);
  }

  /**
   * The nearest existing ancestor of {@code path} when it is a regular file, which is what "not a
   * directory" usually means: a home of {@code /data/x/.weir} where {@code /data/x} is a file.
   */
  public static Optional<Path> fileInTheWay(Path path) {
    for (Path p = path.toAbsolutePath().getParent(); p != null; p = p.getParent()) {
      if (Files.exists(p)) {
        return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
      }
    }
    return Optional.empty();
  }

  /** The first {@code type} in the cause chain of {@code e}. */
  public static <T extends Throwable> Optional<T> find(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return Optional.of(type.cast(t));
      }
    }
    return Optional.empty();
  }

  private static String lowerFirst(String s) {
    return s.isEmpty() ? s : s.substring(0, 1).toLowerCase(Locale.ROOT) + s.substring(1);
  }
}
