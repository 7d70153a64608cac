// XmlText: any bytes either parse or throw ptvsd::Error, and every location it reports lies inside
// the text. Anything else (a crash, a sanitizer report, another exception) is a finding.
#include <cstdint>
#include <string_view>

#include "core/xml_text.h"
#include "fuzz_common.h"

using ptvsd::fuzz::require;

namespace {

void check_location(const ptvsd::Location& where, std::string_view text) {
  require(where.line >= 0 && where.column >= 0, "negative line or column");
  require(static_cast<std::size_t>(where.line) <= text.size() + 1, "line past the end");
  require(static_cast<std::size_t>(where.column) <= text.size() + 1, "column past the end");
}

void parse(std::string_view text, ptvsd::XmlText::Whitespace whitespace) {
  try {
    const ptvsd::XmlText xml(text, "fuzz.config", whitespace);
    require(xml.document().document_element(), "parsed without a root element");
    for (const auto& node : xml.document().select_nodes("//*")) {
      check_location(xml.locate(node.node()), text);
    }
  } catch (const ptvsd::Error& error) {
    check_location(error.where(), text);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  parse(text, ptvsd::XmlText::Whitespace::drop);
  parse(text, ptvsd::XmlText::Whitespace::keep);
  return 0;
}
