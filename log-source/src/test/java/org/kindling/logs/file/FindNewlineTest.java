package org.kindling.logs.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class FindNewlineTest {
  private static int naive(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  @Test
  void shouldFindTheFirstLineFeedLikeAByteLoop() {
    Random random = new Random(16);
    byte[] tricky = {0x0b, 0x09, (byte) 0x8a, 0x0a, 0x0a, 0x00, (byte) 0xff, 0x0a};
    for (int round = 0; round < 20_000; round++) {
      byte[] b = new byte[random.nextInt(40)];
      for (int i = 0; i < b.length; i++) {
        b[i] =
            random.nextInt(4) == 0
                ? tricky[random.nextInt(tricky.length)]
                : (byte) random.nextInt(256);
      }
      int from = b.length == 0 ? 0 : random.nextInt(b.length);
      int to = from + random.nextInt(b.length - from + 1);
      assertThat(FindNewline.in(b, from, to)).isEqualTo(naive(b, from, to));
    }
  }
}
