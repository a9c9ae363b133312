package org.ptlab.io.data;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Splits a byte stream into lines and decodes each one as strict UTF-8. A Reader decodes ahead in blocks, so its
 * error would name the wrong line, and its default replaces bad bytes with U+FFFD, which would then be trained on.
 */
final class Utf8Lines {
  private final InputStream in;
  private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPORT)
      .onUnmappableCharacter(CodingErrorAction.REPORT);
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();

  Utf8Lines(InputStream in) {
    this.in = new BufferedInputStream(in);
  }

  /**
   * The next line without its terminator ({@code \n} or {@code \r\n}), or null at the end of the stream.
   *
   * @throws CharacterCodingException if this line is not valid UTF-8 (the stream stays at the next line)
   */
  String next() throws IOException {
    line.reset();
    int b;
    while ((b = in.read()) != -1 && b != '\n') line.write(b);
    if (b == -1 && line.size() == 0) return null;
    byte[] bytes = line.toByteArray();
    int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
    return decoder.decode(ByteBuffer.wrap(bytes, 0, n)).toString();
  }
}
