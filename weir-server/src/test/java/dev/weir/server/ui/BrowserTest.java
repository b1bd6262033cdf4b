package dev.weir.server.ui;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * A test class that drives Chromium: its test methods take a {@link BrowserSession} (or a plain
 * Playwright {@code Page}) parameter, each a fresh browser context. Skipped, with one line saying
 * how to install it, where Chromium is missing. See docs/ui-testing.md.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(ChromiumExtension.class)
@Tag("browser")
// Playwright's objects are not thread-safe and all tests share one browser.
@ResourceLock("weir-chromium")
public @interface BrowserTest {}
