package org.kindling.geo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The known input/output pairs of gcp-ingestion's {@code NormalizeAttributesTest}. */
class NormalizeAttributesTest {
  private static void check(UnaryOperator<String> f, Map<String, String> pairs) {
    pairs.forEach((in, out) -> assertThat(f.apply(in)).as(in).isEqualTo(out));
    assertThat(f.apply(null)).isNull();
  }

  @Test
  void shouldNormalizeTheChannel() {
    check(
        NormalizeAttributes::channel,
        Map.ofEntries(
            Map.entry("release", "release"),
            Map.entry("esr", "esr"),
            Map.entry("beta", "beta"),
            Map.entry("aurora", "aurora"),
            Map.entry("nightly", "nightly"),
            Map.entry("nightly-cck-ubuntu", "nightly"),
            Map.entry("no", "Other"),
            Map.entry("esr52", "Other"),
            Map.entry("Release", "Other"),
            Map.entry("Prefeitura Municipal de Santos", "Other"),
            Map.entry("beta-cdntest", "beta"),
            Map.entry("betastop", "beta")));
  }

  @Test
  void shouldNormalizeTheOs() {
    check(
        NormalizeAttributes::os,
        Map.ofEntries(
            Map.entry("Windows", "Windows"),
            Map.entry("WINNT", "Windows"),
            Map.entry("Windows_NT", "Windows"),
            Map.entry("WindowsNT", "Windows"),
            Map.entry("Darwin", "Mac"),
            Map.entry("Linux", "Linux"),
            Map.entry("GNU/Linux", "Linux"),
            Map.entry("SunOS", "Linux"),
            Map.entry("Solaris", "Linux"),
            Map.entry("FreeBSD", "Linux"),
            Map.entry("GNU/kFreeBSD", "Linux"),
            Map.entry("AIX", "Other"),
            Map.entry("iOS", "iOS"),
            Map.entry("iOS?", "iOS"),
            Map.entry("iPhone", "iOS"),
            Map.entry("All the iPhones", "iOS"),
            Map.entry("All the iOSes", "Other"),
            Map.entry("IOS", "Other"),
            Map.entry("Android", "Android"),
            Map.entry("Android?", "Android"),
            Map.entry("All the Androids", "Other"),
            Map.entry("asdf", "Other")));
  }

  @Test
  void shouldNormalizeTheOsVersion() {
    check(
        NormalizeAttributes::osVersion,
        Map.of(
            "10.10.3", "10.10.3",
            "10.3", "10.3",
            "10", "10",
            "10.10.3.4.1", "10.10.3",
            "3.10.0-957.el7.x86_644.15.0", "3.10.0",
            "3.13.0-168-lowlatency", "3.13.0",
            "hi", "",
            "hi-13.1.3", ""));
  }

  @Test
  void shouldNormalizeTheAppName() {
    check(
        NormalizeAttributes::appName,
        Map.of(
            "Firefox", "Firefox",
            "Fennec", "Fennec",
            "Fennec-x", "Fennec",
            "Focus-TV", "Focus-TV",
            "Focus", "Focus",
            "Zerda_cn", "Zerda_cn",
            "Zerda", "Zerda",
            "asdf", "Other"));
  }

  @Test
  void shouldNormalizeTheCountryCode() {
    check(
        NormalizeAttributes::countryCode,
        Map.of("FI", "FI", "fi", "FI", "FII", "Other", "asdf", "Other"));
  }
}
