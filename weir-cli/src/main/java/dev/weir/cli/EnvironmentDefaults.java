package dev.weir.cli;

import java.lang.reflect.AnnotatedElement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Option;

/**
 * Options whose default is an environment variable ({@code defaultValue = "${env:WEIR_PORT}"}, as
 * picocli writes it) read that variable from the command's {@link Surroundings}: this process's
 * environment, or the one a test gives. So the order is the flag, then the variable, then what the
 * command does without either (the server config file, then the built-in default). A variable that
 * is unset or blank counts as not given.
 */
final class EnvironmentDefaults implements IDefaultValueProvider {
  private static final Pattern ENV = Pattern.compile("\\$\\{env:([A-Za-z0-9_]+)}");

  private final Surroundings surroundings;

  EnvironmentDefaults(Surroundings surroundings) {
    this.surroundings = surroundings;
  }

  /** The variable an option's default names, or null. */
  static String variable(ArgSpec arg) {
    if (!(arg.userObject() instanceof AnnotatedElement member)) {
      return null;
    }
    Option option = member.getAnnotation(Option.class);
    if (option == null) {
      return null;
    }
    Matcher m = ENV.matcher(option.defaultValue());
    return m.matches() ? m.group(1) : null;
  }

  @Override
  public String defaultValue(ArgSpec arg) {
    String name = variable(arg);
    if (name == null) {
      return null; // picocli's own default, if any
    }
    String value = surroundings.env(name);
    // NULL_VALUE, not null: null would make picocli read the variable from this JVM's environment
    return value != null ? value : Option.NULL_VALUE;
  }
}
