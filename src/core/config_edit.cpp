#include "core/config_edit.h"

#include "core/platform.h"

namespace ptvsd {

namespace {

bool is_marker_comment(const pugi::xml_node& node) {
  if (node.type() != pugi::node_comment) return false;
  const std::string_view text = node.value();
  return text.find(generated_marker) != std::string_view::npos ||
         text.find(legacy_generated_marker) != std::string_view::npos;
}

// XML's white space (production S), whatever the locale.
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

}  // namespace

bool has_generated_marker(const XmlText& config) {
  const auto& document = config.document();
  for (const auto& node : document.children()) {
    if (is_marker_comment(node)) return true;
  }
  for (const auto& node : document.document_element().children()) {
    if (is_marker_comment(node)) return true;
  }
  return false;
}

void require_transformable(const XmlText& web_config) {
  const auto root = web_config.document().document_element();
  if (std::string_view(root.name()) != "configuration") {
    throw Error(Code::not_transformable, web_config.locate(root),
                "the root element must be <configuration>, not <" + std::string(root.name()) + ">");
  }
  if (const auto xmlns = root.attribute("xmlns")) {
    throw Error(Code::not_transformable, web_config.locate(root),
                "<configuration xmlns=\"" + std::string(xmlns.value()) +
                    "\">: XDT cannot match elements in a namespace; remove the xmlns attribute "
                    "(IIS does not need it)");
  }
}

std::vector<pugi::xml_node> secret_settings(const XmlText& config) {
  const std::string key(secret_key);
  std::vector<pugi::xml_node> found;
  for (const auto& match : config.document().select_nodes("//appSettings/add[@key][@value]")) {
    if (key == match.node().attribute("key").value()) found.push_back(match.node());
  }
  return found;
}

pugi::xml_node single_secret_setting(const XmlText& config) {
  const auto settings = secret_settings(config);
  if (settings.empty()) {
    throw Error(Code::missing_secret, {config.path(), 0, 0},
                "no <add key=\"WSGI_PTVSD_SECRET\" value=\"...\"/> app setting to update");
  }
  if (settings.size() > 1) {
    throw Error(Code::duplicate_secret, config.locate(settings[1]),
                "WSGI_PTVSD_SECRET appears twice (first at line " + std::to_string(config.locate(settings[0]).line) +
                    "); keep one and try again");
  }
  return settings.front();
}

ByteRange attribute_value_range(std::string_view text, std::size_t name_offset, std::string_view name) {
  std::size_t i = name_offset;
  const auto skip_spaces = [&] {
    while (i < text.size() && is_space(text[i])) ++i;
  };
  while (i < text.size() && !is_space(text[i]) && text[i] != '/' && text[i] != '>') ++i;
  for (;;) {
    skip_spaces();
    if (i >= text.size() || text[i] == '/' || text[i] == '>') break;
    const std::size_t name_begin = i;
    while (i < text.size() && !is_space(text[i]) && text[i] != '=') ++i;
    const auto attribute = text.substr(name_begin, i - name_begin);
    skip_spaces();
    ++i;  // '='
    skip_spaces();
    const char quote = text[i];
    const std::size_t value_begin = ++i;
    const std::size_t value_end = text.find(quote, value_begin);
    if (value_end == std::string_view::npos) break;
    if (attribute == name) return {value_begin, value_end};
    i = value_end + 1;
  }
  throw Error(Code::internal, {}, "attribute '" + std::string(name) + "' not found in its start tag");
}

SensitiveString splice_secret(const XmlText& config, const Secret& secret) {
  const auto setting = single_secret_setting(config);
  const auto text = config.text();
  const auto range = attribute_value_range(text, static_cast<std::size_t>(setting.offset_debug()), "value");
  const auto value = secret.reveal();
  SensitiveString result;
  auto& out = result.mutable_str();
  platform::reserve_in_huge_pages(out, text.size() - (range.end - range.begin) + value.size());
  out.append(text.substr(0, range.begin));
  out.append(value);
  out.append(text.substr(range.end));
  return result;
}

}  // namespace ptvsd
