package dev.weir.server.ui;

import com.microsoft.playwright.Page;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit side of {@link BrowserTest}: skips the class where Chromium is missing, gives each test
 * a fresh {@link BrowserSession} (made when a test or its {@code @BeforeEach} first asks for one),
 * and after each test keeps a screenshot and the HTML when it failed, fails it when its pages had
 * problems (see {@link PageProblems}), and closes the session.
 */
public final class ChromiumExtension
    implements ExecutionCondition, ParameterResolver, AfterEachCallback {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(ChromiumExtension.class);
  private static final Set<String> announced = new HashSet<>();

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    if (ChromiumBinary.available()) {
      return ConditionEvaluationResult.enabled("Chromium at " + ChromiumBinary.path());
    }
    String message = ChromiumBinary.missingMessage();
    synchronized (announced) {
      if (announced.add(message)) {
        System.err.println("[browser tests] SKIPPED: " + message);
      }
    }
    return ConditionEvaluationResult.disabled(message);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == BrowserSession.class || type == Page.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    if (context.getTestMethod().isEmpty()) {
      throw new ParameterResolutionException(
          "a BrowserSession or Page is per test: take it in a test or @BeforeEach method, not in "
              + parameter.getDeclaringExecutable().getName());
    }
    BrowserSession session =
        context
            .getStore(NAMESPACE)
            .getOrComputeIfAbsent(
                BrowserSession.class,
                key -> new BrowserSession(SharedBrowser.get(), context.getRequiredTestClass()),
                BrowserSession.class);
    return parameter.getParameter().getType() == Page.class ? session.page() : session;
  }

  @Override
  public void afterEach(ExtensionContext context) {
    BrowserSession session =
        context.getStore(NAMESPACE).remove(BrowserSession.class, BrowserSession.class);
    if (session == null) {
      return;
    }
    List<String> problems;
    try {
      session.settle();
      problems = session.pageProblems().notAllowed(allowed(context));
      if (context.getExecutionException().isPresent() || !problems.isEmpty()) {
        session.keepFailure(testName(context));
      }
    } finally {
      session.close();
    }
    if (!problems.isEmpty()) {
      throw new AssertionError(PageProblems.message(problems));
    }
  }

  private static AllowConsoleErrors allowed(ExtensionContext context) {
    Optional<AllowConsoleErrors> onMethod =
        AnnotationSupport.findAnnotation(context.getTestMethod(), AllowConsoleErrors.class);
    if (onMethod.isPresent()) {
      return onMethod.get();
    }
    for (Class<?> c = context.getRequiredTestClass(); c != null; c = c.getEnclosingClass()) {
      Optional<AllowConsoleErrors> onClass =
          AnnotationSupport.findAnnotation(c, AllowConsoleErrors.class);
      if (onClass.isPresent()) {
        return onClass.get();
      }
    }
    return null;
  }

  /** The method's name, plus the display name for each run of a parameterized or repeated test. */
  private static String testName(ExtensionContext context) {
    String method = context.getRequiredTestMethod().getName();
    return context.getUniqueId().contains("-invocation:")
        ? method + "-" + context.getDisplayName()
        : method;
  }
}
