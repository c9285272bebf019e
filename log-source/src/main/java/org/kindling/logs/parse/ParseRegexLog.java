package org.kindling.logs.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A format given as a Java regular expression with named groups, matched against the whole line:
 * {@code remoteaddr} (required), {@code time}, {@code request} or {@code method}/{@code
 * path}/{@code protocol}, {@code status}, {@code bytes}, {@code referer}, {@code useragent}, {@code
 * host}. Fields whose group the expression does not have are "not logged", which rules treat as
 * matching: a file of the seed's syslog-ng output that holds only downloads needs no status.
 */
public final class ParseRegexLog implements ParseLogLine {
  /** The group names a format may use. */
  public static final Set<String> GROUPS =
      Set.of(
          "remoteaddr",
          "time",
          "request",
          "method",
          "path",
          "protocol",
          "status",
          "bytes",
          "referer",
          "useragent",
          "host");

  private static final Pattern GROUP_NAME = Pattern.compile("\\(\\?<([a-zA-Z][a-zA-Z0-9]*)>");

  private final Pattern pattern;
  private final boolean hasTime;
  private final boolean hasRequest;
  private final boolean hasMethod;
  private final boolean hasPath;
  private final boolean hasProtocol;
  private final boolean hasStatus;
  private final boolean hasUserAgent;
  private final boolean hasHost;

  /**
   * @throws IllegalArgumentException when the expression does not compile, lacks {@code remoteaddr}
   *     or has a group name outside {@link #GROUPS}
   */
  public ParseRegexLog(String regex) {
    try {
      this.pattern = Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException("not a regular expression: " + e.getDescription());
    }
    List<String> groups = groupNames(regex);
    for (String g : groups) {
      if (!GROUPS.contains(g)) {
        throw new IllegalArgumentException(
            "unknown group (?<" + g + ">); the groups are " + String.join(", ", sorted()));
      }
    }
    if (!groups.contains("remoteaddr")) {
      throw new IllegalArgumentException("the expression needs a (?<remoteaddr>...) group");
    }
    hasTime = groups.contains("time");
    hasRequest = groups.contains("request");
    hasMethod = groups.contains("method");
    hasPath = groups.contains("path");
    hasProtocol = groups.contains("protocol");
    hasStatus = groups.contains("status");
    hasUserAgent = groups.contains("useragent");
    hasHost = groups.contains("host");
    if (hasRequest && (hasMethod || hasPath || hasProtocol)) {
      throw new IllegalArgumentException(
          "use either (?<request>...) or (?<method>...)/(?<path>...)/(?<protocol>...)");
    }
  }

  /** The named groups of a regular expression, in order. */
  public static List<String> groupNames(String regex) {
    List<String> names = new ArrayList<>();
    Matcher m = GROUP_NAME.matcher(regex);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  private static List<String> sorted() {
    return GROUPS.stream().sorted().toList();
  }

  @Override
  public LogLine parse(String line) throws LogParseException {
    Matcher m = pattern.matcher(line);
    if (!m.matches()) {
      throw new LogParseException("line does not match logs.format.regex");
    }
    String addr = m.group("remoteaddr");
    String time = hasTime ? m.group("time") : null;
    int status = -1;
    if (hasStatus) {
      String s = m.group("status");
      if (s == null || s.length() != 3 || !isDigits(s)) {
        throw new LogParseException("status is not three digits");
      }
      status = Integer.parseInt(s);
    }
    String ua = hasUserAgent ? m.group("useragent") : null;
    if (ua != null && (ua.isEmpty() || ua.equals("-"))) {
      ua = null;
    }
    String host = hasHost ? m.group("host") : null;
    if (hasRequest) {
      String request = m.group("request");
      return SplitRequest.of(addr, time, request == null ? "" : request, status, ua, host);
    }
    return new LogLine(
        addr,
        time,
        hasMethod ? orEmpty(m.group("method")) : null,
        hasPath ? orEmpty(m.group("path")) : null,
        hasProtocol ? m.group("protocol") : null,
        status,
        ua,
        host);
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }

  private static boolean isDigits(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }
}
