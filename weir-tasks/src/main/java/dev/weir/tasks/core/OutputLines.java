package dev.weir.tasks.core;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/** Reads a child process's output line by line on a virtual thread (shell and python tasks). */
public final class OutputLines {
  private OutputLines() {}

  /** Hands each UTF-8 line of {@code in} to {@code line} until the stream ends; join the thread. */
  public static Thread pump(InputStream in, Consumer<String> line) {
    return Thread.ofVirtual()
        .start(() -> {
          try (var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String l;
            while ((l = reader.readLine()) != null) {
              line.accept(l);
            }
          } catch (IOException e) {
            // the stream closes when the process is killed; nothing left to read
          }
        });
  }
}
