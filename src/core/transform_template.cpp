#include "core/transform_template.h"

#include <functional>
#include <string>

#include "core/config_edit.h"

namespace ptvsd {

namespace {

constexpr std::string_view open_brace = "{{";
constexpr std::string_view close_brace = "}}";

// Calls `visit(text, node, attribute)` for every attribute value (of element `node`) and character
// data (`node` itself, `attribute` empty) in the subtree; the returned string, when different,
// replaces the text.
using TextVisitor = std::function<SensitiveString(std::string_view text, const pugi::xml_node& node,
                                                  const pugi::xml_attribute& attribute)>;

void rewrite_texts(pugi::xml_node node, const TextVisitor& visit) {
  for (auto attribute : node.attributes()) {
    const std::string_view old = attribute.value();
    const auto replaced = visit(old, node, attribute);
    if (replaced.str() != old) attribute.set_value(replaced.str().c_str());
  }
  if (node.type() == pugi::node_pcdata || node.type() == pugi::node_cdata) {
    const std::string_view old = node.value();
    const auto replaced = visit(old, node, pugi::xml_attribute());
    if (replaced.str() != old) node.set_value(replaced.str().c_str());
  }
  for (auto child : node.children()) rewrite_texts(child, visit);
}

// Calls `on_bad(placeholder, message)` for the first placeholder that cannot be filled, with the
// placeholder as written (up to its line's end when unclosed, so that the message stays one line).
using OnBadPlaceholder = std::function<void(std::string_view placeholder, const std::string& message)>;

SensitiveString fill(std::string_view text, const std::vector<Placeholder>& values, const OnBadPlaceholder& on_bad) {
  SensitiveString filled;
  auto& out = filled.mutable_str();
  out.reserve(text.size() + 256);
  std::size_t at = 0;
  for (;;) {
    const auto open = text.find(open_brace, at);
    if (open == std::string_view::npos) break;
    const auto close = text.find(close_brace, open + open_brace.size());
    if (close == std::string_view::npos) {
      const auto placeholder = text.substr(open, text.find('\n', open) - open);
      on_bad(placeholder, "unclosed placeholder '" + std::string(placeholder) + "'");
      break;
    }
    const auto name = text.substr(open + open_brace.size(), close - open - open_brace.size());
    const Placeholder* match = nullptr;
    for (const auto& value : values) {
      if (value.name == name) match = &value;
    }
    if (match == nullptr) {
      const auto placeholder = text.substr(open, close + close_brace.size() - open);
      on_bad(placeholder, "unknown placeholder " + std::string(placeholder));
      break;
    }
    out.append(text.substr(at, open - at)).append(match->value);
    at = close + close_brace.size();
  }
  out.append(text.substr(std::min(at, text.size())));
  return filled;
}

// Where `placeholder`, found in the text of `node` or of its `attribute`, is in the template's
// bytes. The text was decoded (entities, line ends), so the placeholder is searched for in the
// text's raw bytes; an entity inside the placeholder itself hides it, and then the text's start
// is the nearest place known.
Location locate_placeholder(const XmlText& source, const pugi::xml_node& node, const pugi::xml_attribute& attribute,
                            std::string_view placeholder) {
  const auto text = source.text();
  const auto start = static_cast<std::size_t>(node.offset_debug());
  const auto end_mark = node.type() == pugi::node_cdata ? "]]>" : "<";
  const auto range = attribute ? attribute_value_range(text, start, attribute.name())
                               : ByteRange{start, text.find(end_mark, start)};
  const auto at = text.substr(range.begin, range.end - range.begin).find(placeholder);
  const auto offset = range.begin + (at == std::string_view::npos ? 0 : at);
  return source.locate(static_cast<std::ptrdiff_t>(offset));
}

class StringWriter : public pugi::xml_writer {
 public:
  explicit StringWriter(std::string& out) : out_(out) {}
  void write(const void* data, size_t size) override { out_.append(static_cast<const char*>(data), size); }

 private:
  std::string& out_;
};

void require_one_secret_setting(const XmlText& source, std::string_view rendered, const Secret& secret) {
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
  // Bad placeholders are reported against the original, whose nodes know where they are.
  rewrite_texts(source.document().root(), [&](std::string_view text, const pugi::xml_node& node,
                                              const pugi::xml_attribute& attribute) {
    fill(text, values, [&](std::string_view placeholder, const std::string& message) {
      throw Error(Code::template_placeholder, locate_placeholder(source, node, attribute, placeholder), message);
    });
    return SensitiveString(std::string(text));
  });
  rewrite_texts(document.root(), [&](std::string_view text, const pugi::xml_node&, const pugi::xml_attribute&) {
    return fill(text, values, [](std::string_view, const std::string&) {});
  });

  SensitiveString rendered;
  rendered.mutable_str().reserve(source.text().size() * 2);
  StringWriter writer(rendered.mutable_str());
  document.save(writer, "", pugi::format_raw | pugi::format_no_declaration, pugi::encoding_utf8);
  require_one_secret_setting(source, rendered.str(), secret);
  return rendered;
}

}  // namespace ptvsd
