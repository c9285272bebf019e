package org.kindling.logs.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyslogFrameDecoderTest {
  private final EmbeddedChannel ch = new EmbeddedChannel(new SyslogFrameDecoder(32));

  private void write(String s) {
    ch.writeInbound(Unpooled.copiedBuffer(s, StandardCharsets.UTF_8));
  }

  private List<String> frames() {
    List<String> out = new ArrayList<>();
    SyslogFrameDecoder.Frame f;
    while ((f = ch.readInbound()) != null) {
      out.add(
          (f.tooLong() ? "CUT(" + f.length() + "):" : "")
              + new String(f.bytes(), StandardCharsets.UTF_8));
    }
    return out;
  }

  @Test
  void shouldSplitOctetCountedAndNewlineFramedMessages() {
    write("5 <1>ab3 <2>\n<3>line one\n9 <4>1 x y\n\n<5>raw\r\n");
    assertThat(frames()).containsExactly("<1>ab", "<2>", "<3>line one", "<4>1 x y\n", "<5>raw\r");
  }

  @Test
  void shouldWaitForMessagesSplitAcrossReads() {
    write("1");
    write("0 <1>");
    assertThat(frames()).isEmpty();
    write("abcdefg<2>");
    assertThat(frames()).containsExactly("<1>abcdefg");
    write("half");
    assertThat(frames()).isEmpty();
    write(" done\n");
    assertThat(frames()).containsExactly("<2>half done");
  }

  @Test
  void shouldTakeARawLineStartingWithDigitsAsNewlineFramed() {
    write("203.0.113.9 - - [x]\n");
    assertThat(frames()).containsExactly("203.0.113.9 - - [x]");
  }

  @Test
  void shouldCutTooLongMessagesAndCarryOn() {
    String big = "x".repeat(40);
    write("40 " + big.substring(0, 35));
    assertThat(frames()).containsExactly("CUT(40):" + big.substring(0, 32));
    write(big.substring(35) + "<1>next\n");
    assertThat(frames()).containsExactly("<1>next");
    write(big);
    assertThat(frames()).containsExactly("CUT(40):" + big.substring(0, 32));
    write(big + "\n<2>after\n");
    assertThat(frames()).containsExactly("<2>after");
    write(big + "\n");
    assertThat(frames()).containsExactly("CUT(40):" + big.substring(0, 32));
  }
}
