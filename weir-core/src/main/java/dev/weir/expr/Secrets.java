package dev.weir.expr;

import dev.weir.WeirException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Secrets by name: {@code WEIR_SECRET_<NAME>} in the environment, then a file {@code NAME} in the
 * secrets directory. Every value handed out, and every value found at start, is registered with the
 * {@link Masker}.
 */
public final class Secrets {
  public static final String ENV_PREFIX = "WEIR_SECRET_";
  private static final long MAX_FILE = 64 * 1024; // a secret, not a data file put there by mistake

  private final Map<String, String> env;
  private final Path dir;
  private final Masker masker;

  public Secrets(Map<String, String> env, Path dir, Masker masker) {
    this.env = Map.copyOf(env);
    this.dir = dir;
    this.masker = masker;
    // mask secrets even when a task reads them some other way (echo $WEIR_SECRET_X)
    this.env.forEach((k, v) -> {
      if (k.startsWith(ENV_PREFIX)) {
        masker.register(v);
      }
    });
    // and those of the secrets directory, which a task can read without secret() (cat FILE)
    registerFiles();
  }

  private void registerFiles() {
    if (dir == null || !Files.isDirectory(dir)) {
      return;
    }
    try (var files = Files.list(dir)) {
      files
          .filter(f -> Files.isRegularFile(f) && !f.getFileName().toString().startsWith("."))
          .forEach(f -> {
            try {
              if (Files.size(f) <= MAX_FILE) {
                masker.register(Files.readString(f, StandardCharsets.UTF_8).strip());
              }
            } catch (IOException | RuntimeException e) {
              // unreadable now: find() reports it when the secret is asked for
            }
          });
    } catch (IOException e) {
      // the directory is read again by find()
    }
  }

  public static Secrets fromEnvironment(Path dir, Masker masker) {
    return new Secrets(System.getenv(), dir, masker);
  }

  public Masker masker() {
    return masker;
  }

  public Optional<String> find(String name) {
    String v = env.get(ENV_PREFIX + name);
    if (v == null && dir != null) {
      Path f = dir.resolve(name);
      if (Files.isRegularFile(f)) {
        try {
          v = Files.readString(f, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
          throw new WeirException("cannot read secret file " + f + ": " + e.getMessage(), e);
        }
      }
    }
    if (v != null) {
      masker.register(v);
    }
    return Optional.ofNullable(v);
  }

  /**
   * @throws WeirException naming where the secret was looked for and the known names
   */
  public String get(String name) {
    return find(name)
        .orElseThrow(() ->
            new WeirException(
                "secret '"
                    + name
                    + "' is not set; set the environment variable "
                    + ENV_PREFIX
                    + name
                    + (dir == null ? "" : " or create the file " + dir.resolve(name))
                    + " (known secrets: "
                    + knownNames()
                    + ")"));
  }

  public TreeSet<String> knownNames() {
    var names = new TreeSet<String>();
    env.keySet().stream()
        .filter(k -> k.startsWith(ENV_PREFIX))
        .map(k -> k.substring(ENV_PREFIX.length()))
        .forEach(names::add);
    if (dir != null && Files.isDirectory(dir)) {
      try (var files = Files.list(dir)) {
        files.filter(Files::isRegularFile).map(f -> f.getFileName().toString()).forEach(names::add);
      } catch (IOException e) {
        // listing is only for the error message
      }
    }
    return names;
  }
}
