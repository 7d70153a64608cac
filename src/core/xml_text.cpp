#include "core/xml_text.h"

#include <algorithm>
#include <cstdlib>
#include <vector>

#include <sodium.h>

namespace ptvsd {

namespace {

// parse_fragment keeps text beside the root element as nodes (pugixml drops it otherwise), so
// require_one_root() can refuse it.
constexpr unsigned options = pugi::parse_default | pugi::parse_comments | pugi::parse_declaration |
                             pugi::parse_doctype | pugi::parse_pi | pugi::parse_fragment;

bool is_blank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

// pugixml would happily parse UTF-16 by converting it, but then offsets no longer index the file's
// bytes and a splice would write UTF-8 into a UTF-16 file. Such files are rare; refusing them
// clearly is safer than converting them silently.
void require_utf8(std::string_view text, const std::string& path) {
  const bool utf16_bom = text.size() >= 2 && ((text[0] == '\xFF' && text[1] == '\xFE') ||
                                              (text[0] == '\xFE' && text[1] == '\xFF'));
  const auto nul = text.find('\0');
  if (utf16_bom || nul != std::string_view::npos) {
    throw Error(Code::not_utf8, {path, 0, 0},
                "the file is not UTF-8 (UTF-16 or binary?); save it as UTF-8 and try again");
  }
}

// Each block carries its size in front, since pugixml's deallocate() is not told it.
constexpr std::size_t header = alignof(std::max_align_t);

void* allocate_wiped(std::size_t size) {
  auto* block = static_cast<unsigned char*>(std::malloc(size + header));
  if (block == nullptr) return nullptr;
  *reinterpret_cast<std::size_t*>(block) = size;
  return block + header;
}

void deallocate_wiped(void* pointer) {
  if (pointer == nullptr) return;
  auto* block = static_cast<unsigned char*>(pointer) - header;
  sodium_memzero(block, *reinterpret_cast<std::size_t*>(block) + header);
  std::free(block);
}

bool is_lead_byte(char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }

// Finds the first element that repeats an attribute name. Sorting each element's names keeps this
// n log n: comparing every pair made `rotate` take 53 s on one element with 50,000 attributes
// (0.1 s now). Walking the tree instead of building an XPath "//*" node set also keeps the common
// case cheap: on a 10 MiB config of 45,000 settings the check costs 19.8 M instructions, was 21.6 M.
class RepeatedAttributeFinder : public pugi::xml_tree_walker {
 public:
  bool for_each(pugi::xml_node& node) override {
    const auto first = node.first_attribute();
    if (node.type() != pugi::node_element || !first || !first.next_attribute()) return true;
    names_.clear();
    for (auto attribute = first; attribute; attribute = attribute.next_attribute()) {
      names_.emplace_back(attribute.name());
    }
    std::sort(names_.begin(), names_.end());
    if (std::adjacent_find(names_.begin(), names_.end()) == names_.end()) return true;
    // Of several repeated names, the message names the first one a reader meets in the tag.
    element = node;
    for (auto attribute = first;; attribute = attribute.next_attribute()) {
      name = attribute.name();
      const auto same = std::equal_range(names_.begin(), names_.end(), name);
      if (same.second - same.first > 1) return false;
    }
  }

  pugi::xml_node element;
  std::string_view name;

 private:
  std::vector<std::string_view> names_;  // reused, so an element costs no allocation
};

}  // namespace

void wipe_xml_memory_on_free() { pugi::set_memory_management_functions(allocate_wiped, deallocate_wiped); }

Location locate_offset(std::string_view text, std::ptrdiff_t offset, std::string path) {
  if (offset < 0) return {std::move(path), 0, 0};
  const auto end = std::min(static_cast<std::size_t>(offset), text.size());
  int line = 1;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < end; ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  if (line == 1 && text.substr(0, 3) == "\xEF\xBB\xBF") line_start = std::min<std::size_t>(3, end);
  const auto column = 1 + std::count_if(text.begin() + static_cast<std::ptrdiff_t>(line_start),
                                        text.begin() + static_cast<std::ptrdiff_t>(end), is_lead_byte);
  return {std::move(path), line, static_cast<int>(column)};
}

XmlText::XmlText(std::string_view text, std::string path, Whitespace whitespace)
    : text_(text), path_(std::move(path)) {
  require_utf8(text_, path_);
  const unsigned chosen = whitespace == Whitespace::keep ? options | pugi::parse_ws_pcdata : options;
  const auto result = document_.load_buffer(text_.data(), text_.size(), chosen, pugi::encoding_utf8);
  if (!result) {
    throw Error(Code::malformed_xml, locate(result.offset),
                std::string("not well-formed XML: ") + result.description());
  }
  require_one_root();
  require_distinct_attributes();
}

// pugixml is lenient where XML is not: it accepts several top-level elements and text beside the
// root. A file .NET would reject must not pass here, or a splice would "succeed" on it.
void XmlText::require_one_root() const {
  bool seen_root = false;
  for (const auto& node : document_.children()) {
    if (node.type() == pugi::node_doctype) {
      throw Error(Code::dtd_refused, locate(node),
                  "a DOCTYPE is not allowed in a config file (entities could hide or expand values)");
    }
    if ((node.type() == pugi::node_pcdata || node.type() == pugi::node_cdata) && !is_blank(node.value())) {
      const auto text_start = text_.find_first_not_of(" \t\r\n", static_cast<std::size_t>(node.offset_debug()));
      throw Error(Code::malformed_xml, locate(static_cast<std::ptrdiff_t>(text_start)),
                  "not well-formed XML: text outside the root element");
    }
    if (node.type() == pugi::node_declaration) require_valid_declaration(node);
    if (node.type() == pugi::node_element) {
      if (seen_root) {
        throw Error(Code::malformed_xml, locate(node),
                    "not well-formed XML: a second root element <" + std::string(node.name()) + ">");
      }
      seen_root = true;
    }
  }
  if (!seen_root) throw Error(Code::malformed_xml, locate(0), "not well-formed XML: no root element");
}

// pugixml takes a declaration anywhere and with any attributes; .NET (and so IIS) only as the
// file's first bytes after a BOM, once, as version, then optionally encoding and standalone, in
// that order.
void XmlText::require_valid_declaration(const pugi::xml_node& declaration) const {
  const std::size_t start = text_.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
  if (declaration != document_.first_child() || text_.compare(start, 5, "<?xml") != 0) {
    throw Error(Code::malformed_xml, locate(declaration),
                "not well-formed XML: the XML declaration must be the very start of the file, once "
                "(no space, comment or other declaration before it)");
  }
  constexpr std::string_view order[] = {"version", "encoding", "standalone"};
  std::size_t next = 0;
  bool valid = std::string_view(declaration.first_attribute().name()) == order[0];
  for (auto attribute = declaration.first_attribute(); valid && attribute; attribute = attribute.next_attribute()) {
    while (next < std::size(order) && order[next] != attribute.name()) ++next;
    valid = next++ < std::size(order);
  }
  if (!valid) {
    throw Error(Code::malformed_xml, locate(declaration),
                "not well-formed XML: the XML declaration takes version, then optionally encoding and "
                "standalone, each once and in that order");
  }
}

void XmlText::require_distinct_attributes() {
  RepeatedAttributeFinder finder;
  document_.traverse(finder);
  if (finder.element) {
    throw Error(Code::malformed_xml, locate(finder.element),
                "not well-formed XML: attribute '" + std::string(finder.name) + "' appears twice in <" +
                    finder.element.name() + ">");
  }
}

Location XmlText::locate(std::ptrdiff_t offset) const { return locate_offset(text_, offset, path_); }

}  // namespace ptvsd
