package dev.weir.server.ui;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs a fixture test class through the JUnit launcher, in this JVM, and reports what happened to
 * it: the only way to test that the harness fails or skips a test, since a test cannot watch its
 * own outcome. Fixture classes are nested classes (which Surefire does not pick up) that only run
 * while {@link #PROPERTY} is set, so that an IDE running the whole package skips them too.
 */
final class FixtureRun {
  static final String PROPERTY = "weir.test.harness-fixtures";

  /** By method name (or simple class name for a class): its outcome, or the skip reason. */
  record Outcomes(Map<String, TestExecutionResult> finished, Map<String, String> skipped) {
    TestExecutionResult test(String method) {
      TestExecutionResult result = finished.get(method);
      if (result == null) {
        throw new AssertionError(
            method + " did not run; finished: " + finished + ", skipped: " + skipped);
      }
      return result;
    }

    Throwable failure(String method) {
      TestExecutionResult result = test(method);
      if (result.getStatus() != TestExecutionResult.Status.FAILED) {
        throw new AssertionError(method + " was expected to fail but: " + result);
      }
      return result.getThrowable().orElseThrow();
    }
  }

  private FixtureRun() {}

  private static String name(TestIdentifier id) {
    return switch (id.getSource().orElse(null)) {
      case MethodSource m -> m.getMethodName();
      case ClassSource c -> c.getJavaClass().getSimpleName();
      case null, default -> id.getDisplayName();
    };
  }

  static Outcomes run(Class<?> fixture) {
    Map<String, TestExecutionResult> finished = new LinkedHashMap<>();
    Map<String, String> skipped = new LinkedHashMap<>();
    TestExecutionListener listener =
        new TestExecutionListener() {
          @Override
          public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            finished.put(name(id), result);
          }

          @Override
          public void executionSkipped(TestIdentifier id, String reason) {
            skipped.put(name(id), reason);
          }
        };
    String before = System.getProperty(PROPERTY);
    System.setProperty(PROPERTY, "true");
    try {
      LauncherFactory.create()
          .execute(
              LauncherDiscoveryRequestBuilder.request().selectors(selectClass(fixture)).build(),
              listener);
    } finally {
      if (before == null) {
        System.clearProperty(PROPERTY);
      } else {
        System.setProperty(PROPERTY, before);
      }
    }
    return new Outcomes(finished, skipped);
  }
}
