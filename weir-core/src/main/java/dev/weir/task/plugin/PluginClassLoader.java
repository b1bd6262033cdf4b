package dev.weir.task.plugin;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Enumeration;

/**
 * The class loader of one plugin jar. Classes come from Weir first (its parent), so the {@code
 * TaskType} API is the same class for Weir and the plugin; the jar's own {@code META-INF/services}
 * files are the only ones it shows, so that a {@link java.util.ServiceLoader} over it finds the
 * jar's task types and not Weir's built-in ones again.
 */
final class PluginClassLoader extends URLClassLoader {
  private static final String SERVICES = "META-INF/services/";

  static {
    registerAsParallelCapable();
  }

  PluginClassLoader(Path jar, ClassLoader parent) throws MalformedURLException {
    super("plugin " + jar.getFileName(), new URL[] {jar.toUri().toURL()}, parent);
  }

  @Override
  public URL getResource(String name) {
    return name.startsWith(SERVICES) ? findResource(name) : super.getResource(name);
  }

  @Override
  public Enumeration<URL> getResources(String name) throws IOException {
    return name.startsWith(SERVICES) ? findResources(name) : super.getResources(name);
  }
}
