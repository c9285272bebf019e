package org.kindling.logs.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.kindling.core.config.ConfigDefinitions;
import org.kindling.core.config.ConfigException;
import org.kindling.core.config.KindlingConfig;

class ReadRulesTest {
  static List<Rule> rules(Map<String, String> settings) {
    return ReadRules.from(KindlingConfig.of(ConfigDefinitions.discover(), settings));
  }

  @Test
  void shouldHaveTheBuiltInDownloadRuleByDefault() {
    List<Rule> rules = rules(Map.of());
    assertThat(rules).hasSize(1);
    Rule r = rules.get(0);
    assertThat(r.doctype()).isEqualTo("glow/download/1");
    assertThat(r.methods()).containsExactly("GET");
    assertThat(r.statuses()).containsExactlyInAnyOrder(200, 206, 302);
    assertThat(r.groups()).containsExactly("product", "version", "os", "locale");
  }

  @Test
  void shouldLetSettingsReplaceTheBuiltInOnesAndAddRules() {
    List<Rule> rules =
        rules(
            Map.of(
                "logs.rules", "download,share",
                "logs.rule.download.status", "200",
                "logs.rule.share.doctype", "glow/share/1",
                "logs.rule.share.methods", "post",
                "logs.rule.share.path", "/share/(?<network>[a-z]+)",
                "logs.rule.share.set", "source=logs, product=firefox"));
    assertThat(rules.get(0).statuses()).containsExactly(200);
    assertThat(rules.get(0).groups()).contains("product");
    Rule share = rules.get(1);
    assertThat(share.methods()).containsExactly("POST");
    assertThat(share.statuses()).containsExactlyInAnyOrder(200, 206, 302);
    assertThat(share.constants())
        .containsExactly(Map.entry("source", "logs"), Map.entry("product", "firefox"));
  }

  @Test
  void shouldRefuseBadRulesWithTheKey() {
    assertThatThrownBy(() -> rules(Map.of("logs.rules", "nope")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("logs.rule.nope.doctype");
    assertThatThrownBy(() -> rules(Map.of("logs.rule.download.colour", "red")))
        .hasMessageContaining("unknown rule setting 'logs.rule.download.colour'");
    assertThatThrownBy(() -> rules(Map.of("logs.rule.other.path", "/x")))
        .hasMessageContaining("is not in logs.rules");
    assertThatThrownBy(() -> rules(Map.of("logs.rule.download.doctype", "glow/download")))
        .hasMessageContaining("namespace/type/version");
    assertThatThrownBy(() -> rules(Map.of("logs.rule.download.doctype", "glow/down load/1")))
        .hasMessageContaining("document_type must match");
    assertThatThrownBy(() -> rules(Map.of("logs.rule.download.status", "200,2000")))
        .hasMessageContaining("'2000' for 'logs.rule.download.status'");
    assertThatThrownBy(() -> rules(Map.of("logs.rule.download.path", "/(?<a>")))
        .hasMessageContaining("logs.rule.download.path");
    assertThatThrownBy(() -> rules(Map.of("logs.rule.download.set", "product")))
        .hasMessageContaining("field=value");
    assertThatThrownBy(() -> rules(Map.of("logs.rule.download.set", "os=linux")))
        .hasMessageContaining("also a group");
    assertThatThrownBy(() -> rules(Map.of("logs.rules", "download,download")))
        .hasMessageContaining("listed twice");
  }
}
