package dev.weir.server.flows;

import dev.weir.WeirException;
import dev.weir.flow.FlowDefinitionException;
import dev.weir.flow.FlowSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the registry in step with a directory of flow files ({@code *.yaml}, {@code *.yml}, in
 * sub-directories too; {@code weir.yaml} and hidden directories are skipped). Polling, not a
 * file-system watch: it works the same on every file system. A scan reads only files whose size or
 * modification time changed. A file whose text changed becomes a new revision; one that does not
 * validate is reported in {@link #problems()} and its last good revision keeps running.
 */
public final class FlowWatcher {
  private static final Logger log = LoggerFactory.getLogger(FlowWatcher.class);

  private final Path dir;
  private final FlowRegistry registry;
  private final Map<Path, String> seen = new ConcurrentHashMap<>();
  // size and modification time of each file when it was last read
  private final Map<Path, String> stamps = new ConcurrentHashMap<>();
  private final Map<Path, String> problems = new ConcurrentHashMap<>();

  public FlowWatcher(Path dir, FlowRegistry registry) {
    this.dir = dir.toAbsolutePath().normalize();
    this.registry = registry;
  }

  public Path dir() {
    return dir;
  }

  /** Files that do not validate now, with every problem in them. */
  public Map<Path, String> problems() {
    return new TreeMap<>(problems);
  }

  /** Reads every changed file once; returns how many flows changed. */
  public synchronized int scan() {
    List<Path> files = files();
    Set<Path> present = new HashSet<>(files);
    var sources = new ArrayList<FlowRegistry.Source>();
    var before = new HashMap<Path, Integer>(); // revision of each changed file's flow now
    var revisions = new HashMap<Path, Integer>();
    registry.all().forEach(d -> revisions.put(d.file(), d.revision()));
    for (Path file : files) {
      String stamp = stamp(file);
      if (stamp != null && stamp.equals(stamps.get(file))) {
        continue; // same size and modification time: not read again
      }
      byte[] bytes;
      try {
        bytes = Files.readAllBytes(file);
      } catch (IOException e) {
        continue; // being replaced right now; the next scan reads it
      }
      if (stamp != null) {
        stamps.put(file, stamp);
      }
      String text;
      try {
        text = FlowSource.decode(file.toString(), bytes);
      } catch (WeirException e) {
        // not a transient read error: say so once, as for a flow that does not validate
        seen.remove(file);
        problems.put(file, e.getMessage());
        log.warn("{} cannot be loaded: {}", file, e.getMessage());
        continue;
      }
      String hash = dev.weir.util.Hashes.sha256(text);
      if (hash.equals(seen.get(file))) {
        continue;
      }
      seen.put(file, hash);
      before.put(file, revisions.getOrDefault(file, 0));
      sources.add(new FlowRegistry.Source(file, text, "file", "file " + dir.relativize(file)));
    }
    int changed = 0;
    for (var o : sources.isEmpty() ? List.<FlowRegistry.Outcome>of() : registerAll(sources)) {
      Path file = o.source().file();
      if (o.error() == null) {
        problems.remove(file);
        if (o.flow().revision() != before.get(file)) {
          changed++;
        }
      } else {
        problems.put(file, o.error().getMessage());
        if (o.error() instanceof FlowDefinitionException) {
          log.warn(
              "{} is not valid; the last good revision keeps running. {}",
              file,
              o.error().getMessage());
        } else {
          log.warn("{} cannot be loaded: {}", file, o.error().getMessage());
        }
      }
    }
    seen.keySet().retainAll(present);
    stamps.keySet().retainAll(present);
    problems.keySet().retainAll(present);
    registry.removeMissing(present);
    return changed;
  }

  // the store refusing the batch: every file of it is read again by the next scan
  private List<FlowRegistry.Outcome> registerAll(List<FlowRegistry.Source> sources) {
    try {
      return registry.registerAll(sources);
    } catch (RuntimeException e) {
      log.warn("flows could not be stored; the next scan tries again: {}", e.getMessage());
      sources.forEach(s -> {
        seen.remove(s.file());
        stamps.remove(s.file());
      });
      return List.of();
    }
  }

  private static String stamp(Path file) {
    try {
      var attrs = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class);
      return attrs.size() + "@" + attrs.lastModifiedTime().toMillis();
    } catch (IOException e) {
      return null;
    }
  }

  private List<Path> files() {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      var out = new ArrayList<Path>();
      walk.filter(Files::isRegularFile)
          .filter(p -> !hidden(dir.relativize(p)))
          .filter(p -> {
            String n = p.getFileName().toString();
            return (n.endsWith(".yaml") || n.endsWith(".yml"))
                && !n.equals("weir.yaml")
                && !n.equals("weir.yml");
          })
          .map(p -> p.toAbsolutePath().normalize())
          .sorted()
          .forEach(out::add);
      return out;
    } catch (IOException | UncheckedIOException e) {
      log.warn("cannot list flows in {}: {}", dir, e.getMessage());
      return List.of();
    }
  }

  private static boolean hidden(Path relative) {
    for (Path part : relative) {
      if (part.toString().startsWith(".")) {
        return true;
      }
    }
    return false;
  }
}
