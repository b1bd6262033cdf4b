package dev.weir.tasks.models;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A dbt project read from its folder: {@code dbt_project.yml}, the models and their YAML, seeds,
 * singular tests and macros. Only reads files; {@link ModelCompiler} renders the Jinja.
 */
public record DbtProject(
    Path root,
    String name,
    Map<String, Object> vars,
    List<ModelFile> models,
    List<SourceTable> sources,
    List<SeedFile> seeds,
    List<SingularTest> singularTests,
    List<GenericTest> genericTests,
    List<MacroFile> macros) {

  /** Reads the project in {@code root} (the folder with dbt_project.yml). */
  public static DbtProject load(Path root) {
    Path dir = root.toAbsolutePath().normalize();
    ProjectSettings s = ProjectSettings.read(dir);
    var sources = new ArrayList<SourceTable>();
    var tests = new ArrayList<GenericTest>();
    var modelSpecs = new HashMap<String, SchemaFile.Spec>();
    var seedSpecs = new HashMap<String, SchemaFile.Spec>();
    for (Path yml : files(dir, s.modelPaths(), ".yml", ".yaml")) {
      SchemaFile f = SchemaFile.read(YamlFiles.read(dir, yml));
      sources.addAll(f.sources());
      tests.addAll(f.tests());
      modelSpecs.putAll(f.models());
    }
    for (Path yml : files(dir, s.seedPaths(), ".yml", ".yaml")) {
      SchemaFile f = SchemaFile.read(YamlFiles.read(dir, yml));
      seedSpecs.putAll(f.seeds());
    }
    var modelConfigs = new FolderConfigs(s.models(), s.name());
    var models = new ArrayList<ModelFile>();
    var byName = new LinkedHashMap<String, String>();
    for (String base : s.modelPaths()) {
      for (Path sql : files(dir, List.of(base), ".sql")) {
        String path = YamlFiles.relative(dir, sql);
        String name = stem(sql);
        String other = byName.put(name, path);
        if (other != null) {
          throw new ModelsException(
              path,
              1,
              "a second model named '"
                  + name
                  + "' (the first is "
                  + other
                  + "); model names are unique in a project, rename one file");
        }
        SchemaFile.Spec spec = modelSpecs.get(name);
        NodeConfig c = modelConfigs.forFile(folders(dir.resolve(base), sql), name);
        if (spec != null) {
          c = c.with(spec.config());
        }
        models.add(
            new ModelFile(
                name, path, YamlFiles.text(sql), c, spec == null ? "" : spec.description()));
      }
    }
    return new DbtProject(
        dir,
        s.name(),
        s.vars(),
        models,
        sources,
        seeds(dir, s, seedSpecs),
        singular(dir, s),
        tests,
        macros(dir, s));
  }

  private static List<SeedFile> seeds(
      Path dir, ProjectSettings s, Map<String, SchemaFile.Spec> specs) {
    var configs = new FolderConfigs(s.seeds(), s.name());
    var out = new ArrayList<SeedFile>();
    for (String base : s.seedPaths()) {
      for (Path csv : files(dir, List.of(base), ".csv")) {
        String name = stem(csv);
        List<String> folders = folders(dir.resolve(base), csv);
        var types = new LinkedHashMap<String, String>();
        var raw = configs.raw(folders, name, "column_types");
        if (raw != null) {
          raw.fields().forEachRemaining(e -> types.put(e.getKey(), e.getValue().asText()));
        }
        NodeConfig c = configs.forFile(folders, name);
        SchemaFile.Spec spec = specs.get(name);
        if (spec != null) {
          types.putAll(spec.columnTypes());
          c = c.with(spec.config());
        }
        out.add(new SeedFile(name, YamlFiles.relative(dir, csv), c, types));
      }
    }
    return out;
  }

  private static List<SingularTest> singular(Path dir, ProjectSettings s) {
    return files(dir, s.testPaths(), ".sql").stream()
        .map(f -> new SingularTest(stem(f), YamlFiles.relative(dir, f), YamlFiles.text(f)))
        .toList();
  }

  private static List<MacroFile> macros(Path dir, ProjectSettings s) {
    return files(dir, s.macroPaths(), ".sql").stream()
        .map(f -> new MacroFile(YamlFiles.relative(dir, f), YamlFiles.text(f)))
        .toList();
  }

  /** The model with this name, or null. */
  public ModelFile model(String name) {
    return models.stream().filter(m -> m.name().equals(name)).findFirst().orElse(null);
  }

  private static String stem(Path f) {
    String n = f.getFileName().toString();
    return n.substring(0, n.lastIndexOf('.'));
  }

  private static List<String> folders(Path base, Path file) {
    var out = new ArrayList<String>();
    base.relativize(file.getParent()).forEach(p -> out.add(p.toString()));
    out.removeIf(String::isEmpty);
    return out;
  }

  /** The files under the {@code paths} ending in one of {@code ends}, sorted by path. */
  private static List<Path> files(Path dir, List<String> paths, String... ends) {
    var out = new ArrayList<Path>();
    for (String p : paths) {
      Path base = dir.resolve(p);
      if (!Files.isDirectory(base)) {
        continue;
      }
      try (Stream<Path> walk = Files.walk(base)) {
        walk.filter(Files::isRegularFile)
            .filter(f -> Stream.of(ends).anyMatch(e -> f.getFileName().toString().endsWith(e)))
            .forEach(out::add);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + base, e);
      }
    }
    out.sort(Comparator.comparing(Path::toString));
    return out;
  }
}
