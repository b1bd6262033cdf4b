package dev.weir.tasks.wait;

import dev.weir.tasks.s3.S3Path;
import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Predicate;

/**
 * The regular files a local path names: one file; every file below a folder when the path ends in
 * {@code /}; or a glob, where {@code *} and {@code ?} stay within a folder and {@code **} crosses
 * folders (as in s3:// and sftp:// paths; {@code in/**}{@code /*.csv} also matches {@code
 * in/a.csv}). Hidden files (a name starting with {@code .}) are left out: tools write them while a
 * file is on its way.
 */
final class LocalGlob {
  private LocalGlob() {}

  static List<Found> list(Path workDir, String path) throws IOException {
    String glob = path.replace('\\', '/');
    int g = firstGlobChar(glob);
    if (g < 0 && !glob.endsWith("/")) {
      Path file = workDir.resolve(glob).toAbsolutePath().normalize();
      if (!Files.isRegularFile(file)) {
        return List.of();
      }
      return List.of(found(file, Files.readAttributes(file, BasicFileAttributes.class)));
    }
    String head = g < 0 ? glob : glob.substring(0, g);
    String baseText = head.substring(0, head.lastIndexOf('/') + 1);
    Path base = workDir.resolve(baseText.isEmpty() ? "." : baseText).toAbsolutePath().normalize();
    String rest = glob.substring(baseText.length());
    // in/**/*.csv also matches in/a.csv, as the file trigger has it
    Predicate<String> matches =
        g < 0
            ? r -> true
            : S3Path.globRegex(rest)
                .asMatchPredicate()
                .or(S3Path.globRegex(rest.replace("**/", "")).asMatchPredicate());
    int depth =
        g < 0 || rest.contains("**")
            ? Integer.MAX_VALUE
            : (int) rest.chars().filter(c -> c == '/').count() + 1;
    var out = new ArrayList<Found>();
    if (!Files.isDirectory(base)) {
      return out;
    }
    Files.walkFileTree(
        base,
        EnumSet.noneOf(FileVisitOption.class),
        depth,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            String relative = base.relativize(file).toString().replace('\\', '/');
            if (attrs.isRegularFile()
                && !file.getFileName().toString().startsWith(".")
                && matches.test(relative)) {
              out.add(found(file, attrs));
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) {
            return FileVisitResult.CONTINUE; // gone while listing, or unreadable: not there yet
          }
        });
    out.sort(java.util.Comparator.comparing(Found::path));
    return out;
  }

  private static Found found(Path file, BasicFileAttributes attrs) {
    return new Found(file.toString(), attrs.size(), attrs.lastModifiedTime().toInstant());
  }

  private static int firstGlobChar(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '*' || c == '?' || c == '[') {
        return i;
      }
    }
    return -1;
  }
}
