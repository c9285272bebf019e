package org.kindling.export.influxdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class LineProtocolTest {
  private final LineProtocol v1 = new LineProtocol(LineProtocol.Dialect.V1);
  private final LineProtocol v2 = new LineProtocol(LineProtocol.Dialect.V2);

  @Test
  void shouldEscapeCommasAndSpacesInMeasurements() {
    assertThat(v1.measurement("glow download,x")).isEqualTo("glow\\ download\\,x");
    // an equals sign is ordinary in a measurement
    assertThat(v1.measurement("a=b")).isEqualTo("a=b");
  }

  @Test
  void shouldEscapeCommasEqualsAndSpacesInKeysAndTagValues() {
    assertThat(v1.key("New York, NY=1")).isEqualTo("New\\ York\\,\\ NY\\=1");
    assertThat(v2.key("a b")).isEqualTo("a\\ b");
    // quotes need no escaping outside string field values
    assertThat(v1.key("q\"x")).isEqualTo("q\"x");
    assertThat(v1.key("Zürich")).isEqualTo("Zürich");
  }

  @Test
  void shouldTurnLineBreaksAndTabsIntoEscapedSpaces() {
    assertThat(v1.key("a\nb\r\tc")).isEqualTo("a\\ b\\ \\ c");
    assertThat(v1.measurement("m\n")).isEqualTo("m\\ ");
  }

  @Test
  void shouldKeepBackslashesThatV1ReadsLiterally() {
    assertThat(v1.key("p\\q")).isEqualTo("p\\q");
    assertThat(v1.key("x\\\\y")).isEqualTo("x\\\\y");
  }

  @Test
  void shouldDropBackslashesThatWouldSwallowASeparatorInV1() {
    // at the end, the backslash would escape the separator after the value
    assertThat(v1.key("end\\")).isEqualTo("end");
    assertThat(v1.key("end\\\\")).isEqualTo("end");
    // before an escaped character, InfluxDB 1.x would read the escape's backslash as the escaped
    // character
    assertThat(v1.key("a\\,b")).isEqualTo("a\\,b");
    assertThat(v1.key("a\\ b")).isEqualTo("a\\ b");
    assertThat(v1.key("a\\\nb")).isEqualTo("a\\ b");
  }

  @Test
  void shouldDoubleEveryBackslashInV2() {
    assertThat(v2.key("p\\q")).isEqualTo("p\\\\q");
    assertThat(v2.key("end\\")).isEqualTo("end\\\\");
    assertThat(v2.key("a\\,b")).isEqualTo("a\\\\\\,b");
  }

  @Test
  void shouldWriteSortedTagsWithoutEmptyValuesAndFieldsInOrder() {
    TreeMap<String, String> tags = new TreeMap<>();
    tags.put("os", "Windows 11");
    tags.put("country", "DE");
    tags.put("channel", null);
    tags.put("empty", "");
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("count", "1i");
    fields.put("response time", "12.5");
    assertThat(v1.line("glow_download", tags, fields, 1764500000123L))
        .isEqualTo(
            "glow_download,country=DE,os=Windows\\ 11 count=1i,response\\ time=12.5"
                + " 1764500000123");
  }

  @Test
  void shouldRefuseAPointWithoutFields() {
    assertThatThrownBy(() -> v1.line("m", new TreeMap<>(), Map.of(), 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldWriteNumbersAsFloatsThatInfluxParses() {
    assertThat(LineProtocol.number(5)).isEqualTo("5");
    assertThat(LineProtocol.number(-2.5)).isEqualTo("-2.5");
    assertThat(LineProtocol.number(1e20)).isEqualTo("1.0E20");
    assertThat(LineProtocol.number(Double.NaN)).isNull();
    assertThat(LineProtocol.number(Double.POSITIVE_INFINITY)).isNull();
  }
}
