package org.kindling.logs.parse;

/**
 * One access log line split into its fields, unchecked: the time is still text (only lines that a
 * rule matches pay for parsing it) and the address is not yet checked to be one.
 *
 * @param remoteAddr the client address as logged
 * @param time the time field as logged, or null when the format has none
 * @param method the request method; "" when the request could not be split, null when the format
 *     does not log it
 * @param path the request path with its query, as logged (percent-encoded); "" when the request
 *     could not be split, null when the format does not log it
 * @param protocol the request protocol ({@code HTTP/1.1}), or null
 * @param status the response status, or -1 when the format does not log it
 * @param userAgent the user agent, or null when absent or logged as {@code -}
 * @param host the virtual host, or null when the format does not log it
 */
public record LogLine(
    String remoteAddr,
    String time,
    String method,
    String path,
    String protocol,
    int status,
    String userAgent,
    String host) {}
