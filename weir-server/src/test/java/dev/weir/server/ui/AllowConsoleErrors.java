package dev.weir.server.ui;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Lets a browser test pass although its pages logged console errors, threw, or got failed or
 * 4xx/5xx answers, for tests that provoke them on purpose (a wrong token, a request without its
 * CSRF token). Without values every problem is allowed; with values only the problems one of these
 * regular expressions finds, such as {@code "HTTP 403"}, so that an unexpected error still fails
 * the test. The test can read what happened from {@link BrowserSession#problems()}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface AllowConsoleErrors {
  String[] value() default {};
}
