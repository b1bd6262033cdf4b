package dev.weir.testing;

import dev.weir.task.TaskType;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.ToolProvider;

/**
 * Builds plugin jars at test time, as a plugin's own build would: compiles Java sources against
 * Weir's task API, writes {@code META-INF/services/dev.weir.task.TaskType} and jars the lot.
 *
 * <pre>
 * PluginJars.builder()
 *     .source("com.acme.Hello", "package com.acme; ... implements TaskType&lt;Hello.Config&gt; ...")
 *     .service("com.acme.Hello")
 *     .build(projectDir.resolve("plugins/hello.jar"));
 * </pre>
 */
public final class PluginJars {
  private final Map<String, String> sources = new LinkedHashMap<>();
  private final List<String> services = new ArrayList<>();
  private final List<String> leaveOut = new ArrayList<>();
  private final List<String> classPath = new ArrayList<>();
  private int classVersion;

  private PluginJars() {}

  public static PluginJars builder() {
    return new PluginJars();
  }

  /** A class to compile, by its binary name, e.g. {@code com.acme.Hello}. */
  public PluginJars source(String className, String code) {
    sources.put(className, code);
    return this;
  }

  /** A line of the services file: a TaskType class the jar offers. */
  public PluginJars service(String className) {
    services.add(className);
    return this;
  }

  /** Compiles this class but leaves it out of the jar (a missing dependency). */
  public PluginJars leaveOut(String className) {
    leaveOut.add(className);
    return this;
  }

  /** Compiles against these too (jars or folders), besides Weir's task API. */
  public PluginJars classPath(String... entries) {
    classPath.addAll(List.of(entries));
    return this;
  }

  /** Marks every class as compiled for this class-file version (65 = Java 21, 99 = the future). */
  public PluginJars classVersion(int major) {
    this.classVersion = major;
    return this;
  }

  /** Compiles and writes the jar; its parent directories are made. */
  public Path build(Path jar) {
    try {
      Path work = Files.createTempDirectory("weir-plugin-build-");
      Path src = work.resolve("src");
      Path classes = work.resolve("classes");
      Files.createDirectories(classes);
      var files = new ArrayList<String>();
      for (var e : sources.entrySet()) {
        Path f = src.resolve(e.getKey().replace('.', '/') + ".java");
        Files.createDirectories(f.getParent());
        Files.writeString(f, e.getValue());
        files.add(f.toString());
      }
      if (!files.isEmpty()) {
        compile(files, classes, classPath);
      }
      Files.createDirectories(jar.toAbsolutePath().getParent());
      write(jar, classes);
      return jar;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void compile(List<String> files, Path classes, List<String> extra) {
    var compiler = ToolProvider.getSystemJavaCompiler();
    var args = new ArrayList<>(List.of("--release", "21", "-d", classes.toString()));
    var cp = new ArrayList<String>();
    cp.add(apiClassPath());
    cp.addAll(extra);
    args.addAll(List.of("-classpath", String.join(java.io.File.pathSeparator, cp)));
    args.addAll(files);
    var out = new StringWriter();
    int rc =
        compiler.run(
            null, new WriterStream(out), new WriterStream(out), args.toArray(String[]::new));
    if (rc != 0) {
      throw new AssertionError("the plugin did not compile:\n" + out);
    }
  }

  /** Where Weir's task API is: its classes directory in a build, its jar otherwise. */
  private static String apiClassPath() {
    try {
      return Path.of(TaskType.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private void write(Path jar, Path classes) throws IOException {
    var manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    try (var out = new JarOutputStream(Files.newOutputStream(jar), manifest);
        Stream<Path> walk = Files.walk(classes)) {
      for (Path f : walk.filter(Files::isRegularFile).sorted().toList()) {
        String name = classes.relativize(f).toString().replace('\\', '/');
        String className = name.replace('/', '.').replaceAll("\\.class$", "");
        if (leaveOut.contains(className)) {
          continue;
        }
        byte[] bytes = Files.readAllBytes(f);
        if (classVersion > 0) {
          bytes[6] = (byte) (classVersion >> 8);
          bytes[7] = (byte) classVersion;
        }
        out.putNextEntry(new JarEntry(name));
        out.write(bytes);
        out.closeEntry();
      }
      if (!services.isEmpty()) {
        out.putNextEntry(new JarEntry("META-INF/services/" + TaskType.class.getName()));
        out.write((String.join("\n", services) + "\n").getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
      }
    }
  }

  /**
   * The plugin of the guide (docs/plugins.md): type {@code typeName}, class {@code
   * com.acme.weir.<className>}, which writes "greeting, name!" to the file {@code path} and logs
   * it.
   */
  public static String greeterSource(String className, String typeName) {
    return """
    package com.acme.weir;

    import dev.weir.task.Required;
    import dev.weir.task.TaskContext;
    import dev.weir.task.TaskResult;
    import dev.weir.task.TaskType;
    import java.nio.file.Files;
    import java.nio.file.Path;
    import java.util.Map;

    public final class CLASS implements TaskType<CLASS.Config> {
      public record Config(@Required String path, String greeting, @Required String name) {
        public Config {
          greeting = greeting == null ? "Hello" : greeting;
        }
      }

      @Override
      public String name() {
        return "TYPE";
      }

      @Override
      public Class<Config> configType() {
        return Config.class;
      }

      @Override
      public TaskResult run(Config config, TaskContext context) throws Exception {
        String text = config.greeting() + ", " + config.name() + "!";
        Path tmp = Path.of(config.path() + ".tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, Path.of(config.path()),
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        context.logger().info("greeted: " + text);
        return TaskResult.of(Map.of("text", text));
      }
    }
    """
        .replace("CLASS", className)
        .replace("TYPE", typeName);
  }

  /** A jar with the greeter plugin as type {@code typeName}. */
  public static Path greeter(Path jar, String typeName) {
    return builder()
        .source("com.acme.weir.Greeter", greeterSource("Greeter", typeName))
        .service("com.acme.weir.Greeter")
        .build(jar);
  }

  /** Adapts the compiler's output stream to a writer. */
  private static final class WriterStream extends OutputStream {
    private final StringWriter out;

    WriterStream(StringWriter out) {
      this.out = out;
    }

    @Override
    public void write(int b) {
      out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      out.write(new String(b, off, len, StandardCharsets.UTF_8));
    }
  }
}
