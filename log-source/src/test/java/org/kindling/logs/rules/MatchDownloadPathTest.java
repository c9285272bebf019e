package org.kindling.logs.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The scanner of the built-in rule says exactly what its regular expression says. */
class MatchDownloadPathTest {
  private static final String[] PARTS = {
    "firefox",
    "firefox-beta",
    "thunderbird",
    "a",
    "x".repeat(32),
    "y".repeat(33),
    "Firefox",
    "145.0",
    "146.0b3",
    "140.5.0esr",
    "1",
    "v1",
    "win64",
    "linux64-aarch64",
    "osx",
    "",
    "en-US",
    "de",
    "ast",
    "abcd",
    "es-419",
    "zh-Hant",
    "en-",
    "en-U",
    "en-abcdefghi",
    "pt_BR",
    "Firefox%20Setup%20145.0.exe",
    "x.dmg",
    "new",
    "releases",
    "-",
    ".",
    "9",
    "%2F"
  };

  /** Parts that fit (or nearly fit) each of the five segments. */
  private static final String[][] SHAPED = {
    {"firefox", "firefox-beta", "thunderbird", "x".repeat(32), "y".repeat(33), "Firefox", "9a"},
    {"145.0", "146.0b3", "140.5.0esr", "1", "v1", "1.2.3.", "1-2"},
    {"win64", "linux64-aarch64", "osx", "", "Win64", "a_b"},
    {
      "en-US",
      "de",
      "ast",
      "abcd",
      "es-419",
      "zh-Hant",
      "en-",
      "en-U",
      "en-abcdefghi",
      "e",
      "en-12345678"
    },
    {"Firefox%20Setup%20145.0.exe", "x.dmg", "", "a b"}
  };

  @Test
  void shouldAgreeWithTheExpressionOnGeneratedPaths() {
    Matcher regex = Pattern.compile(ReadRules.DOWNLOAD_PATH).matcher("");
    MatchDownloadPath scanner = new MatchDownloadPath();
    Random random = new Random(16);
    int matched = 0;
    for (int i = 0; i < 200_000; i++) {
      StringBuilder p = new StringBuilder();
      int segments = random.nextBoolean() ? 5 : 1 + random.nextInt(6);
      for (int s = 0; s < segments; s++) {
        if (segments == 5 && random.nextInt(3) != 0) {
          p.append('/').append(SHAPED[s][random.nextInt(SHAPED[s].length)]);
          continue;
        }
        if (random.nextInt(20) != 0) {
          p.append('/');
        }
        p.append(
            random.nextInt(8) == 0 ? randomChars(random) : PARTS[random.nextInt(PARTS.length)]);
      }
      if (random.nextInt(30) == 0) {
        p.append('/');
      }
      String path = p.toString();
      boolean expected = regex.reset(path).matches();
      assertThat(scanner.matches(path)).as(path).isEqualTo(expected);
      if (expected) {
        matched++;
        for (String g : new String[] {"product", "version", "os", "locale"}) {
          assertThat(scanner.group(g)).as(path + " " + g).isEqualTo(regex.group(g));
        }
      }
    }
    assertThat(matched).as("generated paths that match").isGreaterThan(1000);
  }

  private static String randomChars(Random random) {
    String alphabet = "abcxyzABZ0129-._%/";
    StringBuilder sb = new StringBuilder();
    for (int i = random.nextInt(10); i >= 0; i--) {
      sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return sb.toString();
  }

  @Test
  void shouldBeUsedForTheBuiltInRuleOnly() {
    assertThat(MatchPath.of(Pattern.compile(ReadRules.DOWNLOAD_PATH)))
        .isInstanceOf(MatchDownloadPath.class);
    assertThat(MatchPath.of(Pattern.compile("/x/(?<a>.*)"))).isInstanceOf(MatchPath.Regex.class);
  }
}
