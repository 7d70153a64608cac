#include "core/transform_template.h"

#include <functional>
#include <string>

#include "core/config_edit.h"

namespace ptvsd {

namespace {

constexpr std::string_view open_brace = "{{";
constexpr std::string_view close_brace = "}}";

// Calls `visit(text, owner)` for every attribute value and character data in the subtree; the
// returned string, when different, replaces the text.
using TextVisitor =
    std::function<SensitiveString(std::string_view text, const pugi::xml_node& owner)>;

void rewrite_texts(pugi::xml_node node, const TextVisitor& visit) {
  for (auto attribute : node.attributes()) {
    const std::string_view old = attribute.value();
    const auto replaced = visit(old, node);
    if (replaced.str() != old) attribute.set_value(replaced.str().c_str());
  }
  if (node.type() == pugi::node_pcdata || node.type() == pugi::node_cdata) {
    const std::string_view old = node.value();
    const auto replaced = visit(old, node.parent());
    if (replaced.str() != old) node.set_value(replaced.str().c_str());
  }
  for (auto child : node.children()) rewrite_texts(child, visit);
}

SensitiveString fill(std::string_view text, const std::vector<Placeholder>& values,
                     const std::function<void(std::string_view)>& on_unknown) {
  SensitiveString filled;
  auto& out = filled.mutable_str();
  out.reserve(text.size() + 256);
  std::size_t at = 0;
  for (;;) {
    const auto open = text.find(open_brace, at);
    if (open == std::string_view::npos) break;
    const auto close = text.find(close_brace, open + open_brace.size());
    const auto name = close == std::string_view::npos
                          ? text.substr(open)
                          : text.substr(open + open_brace.size(), close - open - open_brace.size());
    const Placeholder* match = nullptr;
    for (const auto& value : values) {
      if (value.name == name) match = &value;
    }
    if (match == nullptr) {
      on_unknown(name);
      break;
    }
    out.append(text.substr(at, open - at)).append(match->value);
    at = close + close_brace.size();
  }
  out.append(text.substr(std::min(at, text.size())));
  return filled;
}

class StringWriter : public pugi::xml_writer {
 public:
  explicit StringWriter(std::string& out) : out_(out) {}
  void write(const void* data, size_t size) override {
    out_.append(static_cast<const char*>(data), size);
  }

 private:
  std::string& out_;
};

void require_one_secret_setting(const XmlText& source, std::string_view rendered,
                                const Secret& secret) {
  const XmlText result(rendered, source.path());
  const auto settings = secret_settings(result);
  if (settings.size() != 1 || secret.reveal() != settings.front().attribute("value").value()) {
    throw Error(Code::template_placeholder, {source.path(), 0, 0},
                "the template must hold exactly one <add key=\"WSGI_PTVSD_SECRET\" "
                "value=\"{{secret}}\"/> app setting");
  }
}

}  // namespace

SensitiveString render_template(const XmlText& source, const Secret& secret,
                                const std::vector<Placeholder>& extra_values) {
  if (!has_generated_marker(source)) {
    throw Error(Code::template_marker, {source.path(), 0, 0},
                "the template has no '" + std::string(generated_marker) +
                    "' comment; without it the written file would count as user-owned");
  }
  std::vector<Placeholder> values = extra_values;
  values.push_back({"secret", secret.reveal()});

  pugi::xml_document document;
  document.reset(source.document());
  // Unknown names are reported against the original, whose nodes know their line.
  rewrite_texts(source.document().root(), [&](std::string_view text, const pugi::xml_node& owner) {
    fill(text, values, [&](std::string_view name) {
      throw Error(Code::template_placeholder, source.locate(owner),
                  "unknown placeholder {{" + std::string(name) + "}}");
    });
    return SensitiveString(std::string(text));
  });
  rewrite_texts(document.root(), [&](std::string_view text, const pugi::xml_node&) {
    return fill(text, values, [](std::string_view) {});
  });

  SensitiveString rendered;
  rendered.mutable_str().reserve(source.text().size() * 2);
  StringWriter writer(rendered.mutable_str());
  document.save(writer, "", pugi::format_raw | pugi::format_no_declaration, pugi::encoding_utf8);
  require_one_secret_setting(source, rendered.str(), secret);
  return rendered;
}

}  // namespace ptvsd
