package kr.codeb.cli.internal;

import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import kr.codeb.InputFiles;
import kr.codeb.InvalidRequestException;
import kr.codeb.env.EnvFile;
import kr.codeb.env.EnvFileStore;

/**
 * Values for {@code we env} from outside the command line, so that they never appear in {@code
 * ps} or a shell's history: an env file, or one value from standard input. Messages name files,
 * lines and keys, never a value.
 */
final class EnvInput {
  private EnvInput() {}

  /**
   * An env file given on the command line, with the checks of {@code we deploy --env-file}
   * (a regular file of at most 1 MiB, mode 0600 or 0400 unless {@code allowInsecure}). Its
   * content is CodeB's own format (what {@code we env} writes, see {@link EnvFile}), else the
   * {@code --env-file} format (values in double quotes too); keys must be {@code
   * [A-Z_][A-Z0-9_]*}.
   */
  static EnvFile fromFile(Path file, boolean allowInsecure) {
    byte[] bytes = EnvVars.readChecked(file, allowInsecure);
    try {
      return EnvFile.parse(bytes);
    } catch (InvalidRequestException notCodeBFormat) {
      EnvVars vars = new EnvVars().parse(bytes, "env file " + file);
      return new EnvFile(vars.values());
    }
  }

  /**
   * The value of {@code key} from standard input: asked for without echo on a terminal, else
   * the whole input (at most 1 MiB, UTF-8) without one final line break.
   */
  static String secret(String key, InputStream in) {
    Console console = System.console();
    if (console != null && in == System.in) {
      char[] typed = console.readPassword("value of %s (not shown): ", key);
      if (typed == null) {
        throw new InvalidRequestException("no value given for " + key + " (end of input)");
      }
      String value = new String(typed);
      Arrays.fill(typed, '\0');
      return EnvFile.checkValue(key, value);
    }
    byte[] bytes;
    try {
      bytes = in.readNBytes((int) EnvFileStore.MAX_BYTES + 1);
    } catch (IOException e) {
      throw new InvalidRequestException("cannot read the value of " + key + " from standard"
          + " input: " + InputFiles.reason(e));
    }
    if (bytes.length > EnvFileStore.MAX_BYTES) {
      throw new InvalidRequestException("the value of " + key + " on standard input is larger"
          + " than " + EnvFileStore.MAX_BYTES + " bytes");
    }
    String value;
    try {
      value = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new InvalidRequestException("the value of " + key + " on standard input is not"
          + " UTF-8 text");
    }
    if (value.endsWith("\r\n")) {
      value = value.substring(0, value.length() - 2);
    } else if (value.endsWith("\n")) {
      value = value.substring(0, value.length() - 1);
    }
    return EnvFile.checkValue(key, value);
  }
}
