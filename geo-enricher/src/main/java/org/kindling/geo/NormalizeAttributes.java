package org.kindling.geo;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code normalized_*} values, with the definitions of Mozilla's decoder (gcp-ingestion,
 * ingestion-beam {@code NormalizeAttributes}), so that a query grouping by them counts the same in
 * both pipelines. Each is null when its input is unknown.
 */
public final class NormalizeAttributes {
  private NormalizeAttributes() {}

  static final String OTHER = "Other";

  private static final Set<String> CHANNELS = Set.of("release", "esr", "beta", "aurora", "nightly");

  /** Product prefixes of {@code app_name}; a longer name before the shorter one it starts with. */
  private static final List<String> APP_NAMES =
      List.of(
          "Zerda_cn",
          "Zerda",
          "Focus-TV",
          "Focus",
          "Klar",
          "FirefoxReality_oculusvr",
          "FirefoxReality_googlevr",
          "FirefoxReality_wavevr",
          "FirefoxForFireTV",
          "FirefoxConnect",
          "Fennec",
          "Scryer",
          "WebXR",
          "Lockbox",
          "Firefox");

  private static final Pattern OS_VERSION = Pattern.compile("(\\d+(?:\\.\\d+){0,2}).*");

  /**
   * One of the five release channels as given (case matters: {@code Release} is Other), {@code
   * nightly} for {@code nightly-cck-*}, {@code beta} for any {@code beta*}, else {@code Other}.
   */
  public static String channel(String channel) {
    if (channel == null) {
      return null;
    }
    if (CHANNELS.contains(channel)) {
      return channel;
    }
    if (channel.startsWith("nightly-cck-")) {
      return "nightly";
    }
    return channel.startsWith("beta") ? "beta" : OTHER;
  }

  /** {@code Windows}, {@code Mac}, {@code Linux}, {@code iOS}, {@code Android} or {@code Other}. */
  public static String os(String os) {
    if (os == null) {
      return null;
    }
    if (os.startsWith("Windows") || os.startsWith("WINNT")) {
      return "Windows";
    }
    if (os.startsWith("Darwin")) {
      return "Mac";
    }
    if (os.contains("Linux")
        || os.contains("BSD")
        || os.contains("SunOS")
        || os.contains("Solaris")) {
      return "Linux";
    }
    if (os.startsWith("iOS") || os.contains("iPhone")) {
      return "iOS";
    }
    return os.startsWith("Android") ? "Android" : OTHER;
  }

  /**
   * The leading {@code MAJOR[.MINOR[.PATCH]]} of a version ({@code 3.10.0} of {@code
   * 3.10.0-957.el7}); the empty string when it does not start with a number.
   */
  public static String osVersion(String version) {
    if (version == null) {
      return null;
    }
    Matcher m = OS_VERSION.matcher(version);
    return m.matches() ? m.group(1) : "";
  }

  /** The product {@code app_name} starts with ({@code Fennec} for {@code Fennec-x}), or Other. */
  public static String appName(String appName) {
    if (appName == null) {
      return null;
    }
    for (String app : APP_NAMES) {
      if (appName.startsWith(app)) {
        return app;
      }
    }
    return OTHER;
  }

  /** Two letters, upper-cased ({@code FI} for {@code fi}), else {@code Other}. */
  public static String countryCode(String code) {
    if (code == null) {
      return null;
    }
    String c = code.toUpperCase(Locale.ROOT);
    boolean twoLetters =
        c.length() == 2
            && c.charAt(0) >= 'A'
            && c.charAt(0) <= 'Z'
            && c.charAt(1) >= 'A'
            && c.charAt(1) <= 'Z';
    return twoLetters ? c : OTHER;
  }
}
