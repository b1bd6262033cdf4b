package dev.weir.flow;

import dev.weir.WeirException;
import dev.weir.util.Utf8;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a flow came from and its exact text; the hash identifies a revision.
 *
 * @param file the path as given (used in error messages), or a label like {@code <api>}
 */
public record FlowSource(String file, String text, String hash) {
  public static FlowSource of(String file, String text) {
    return new FlowSource(file, text, dev.weir.util.Hashes.sha256(text).substring(0, 16));
  }

  /** The text of a flow file; names the first bad byte when it is not UTF-8. */
  public static String read(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new WeirException(
          "cannot read flow file " + file + ": " + dev.weir.util.IoErrors.reason(e) + hint(e), e);
    }
    return decode(file.toString(), bytes);
  }

  private static String hint(IOException e) {
    return e instanceof java.nio.file.AccessDeniedException
        ? "; make it readable for this user (e.g. chmod a+r), or run as its owner"
        : "";
  }

  /**
   * Decodes a flow file's bytes strictly: a replacement character would otherwise turn a Latin-1
   * 'é' into a silently different value, and the JDK's own error says only "Input length = 1".
   */
  public static String decode(String file, byte[] bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      String where = Utf8.firstInvalid(bytes).map(Utf8.Invalid::describe).orElse("a bad byte");
      throw new WeirException(file + " is not UTF-8 text (" + where + "); save it as UTF-8");
    }
  }
}
