package dev.weir.server.triggers;

import dev.weir.flow.trigger.FileTrigger;
import dev.weir.flow.trigger.OnProcessed;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

/**
 * A glob on the local disk, relative to the flow file's folder. {@code *} stays within a folder,
 * {@code **} crosses folders, and {@code /**}{@code /} also matches no folder at all ({@code
 * in/**}{@code /*.csv} matches {@code in/a.csv}). Hidden files (a name starting with {@code .}) are
 * left alone: tools write them while a file is on its way.
 */
final class LocalFiles implements FileSource {
  private final Path base;
  private final int depth;
  private final List<PathMatcher> matchers = new ArrayList<>();
  private final Path moveTo;

  LocalFiles(FileTrigger trigger, Path flowDir) {
    String glob = Path.of(trigger.resolvedPath(flowDir)).normalize().toString();
    this.base = base(glob);
    int segments = Path.of(glob).getNameCount() - base.getNameCount();
    this.depth = glob.contains("**") ? Integer.MAX_VALUE : segments;
    matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + glob));
    if (glob.contains("/**/")) {
      matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + glob.replace("/**/", "/")));
    }
    this.moveTo =
        trigger.onProcessed() == OnProcessed.MOVE
            ? flowDir.resolve(trigger.moveTo()).toAbsolutePath().normalize()
            : null;
  }

  /** The folder above the first segment with a glob character. */
  private static Path base(String glob) {
    Path p = Path.of(glob);
    Path b = p.getRoot() == null ? Path.of("") : p.getRoot();
    for (Path segment : p) {
      if (segment.toString().matches(".*[*?\\[{].*")) {
        break;
      }
      b = b.resolve(segment);
    }
    return b.equals(p) ? p.getParent() : b;
  }

  @Override
  public List<FoundFile> list() throws IOException {
    var out = new ArrayList<FoundFile>();
    if (!Files.isDirectory(base)) {
      return out;
    }
    Files.walkFileTree(
        base,
        EnumSet.noneOf(FileVisitOption.class),
        depth,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            return dir.equals(moveTo) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            if (attrs.isRegularFile() && matches(file)) {
              out.add(found(file, attrs));
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) {
            return FileVisitResult.CONTINUE; // gone while listing, or unreadable: not ours
          }
        });
    return out;
  }

  private boolean matches(Path file) {
    return !file.getFileName().toString().startsWith(".")
        && matchers.stream().anyMatch(m -> m.matches(file));
  }

  private static FoundFile found(Path file, BasicFileAttributes attrs) {
    return new FoundFile(
        file.toAbsolutePath().normalize().toString(),
        attrs.size(),
        attrs.lastModifiedTime().toInstant());
  }

  @Override
  public Optional<FoundFile> stat(String path) throws IOException {
    Path p = Path.of(path);
    try {
      return Optional.of(found(p, Files.readAttributes(p, BasicFileAttributes.class)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  @Override
  public String move(FoundFile file, String suffix) throws IOException {
    Files.createDirectories(moveTo);
    Path target = moveTo.resolve(file.name());
    if (Files.exists(target)) {
      target = moveTo.resolve(FileSource.suffixed(file.name(), suffix));
    }
    try {
      Files.move(Path.of(file.path()), target, StandardCopyOption.ATOMIC_MOVE);
    } catch (java.nio.file.AtomicMoveNotSupportedException e) {
      Files.move(Path.of(file.path()), target); // another file system: copy, then delete
    }
    return target.toString();
  }

  @Override
  public void delete(FoundFile file) throws IOException {
    Files.deleteIfExists(Path.of(file.path()));
  }
}
