#include "core/xml_text.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <utility>
#include <vector>

namespace ptvsd {

namespace {

// parse_fragment keeps text beside the root element as nodes (pugixml drops it otherwise), so
// require_one_root() can refuse it.
constexpr unsigned options = pugi::parse_default | pugi::parse_comments | pugi::parse_declaration |
                             pugi::parse_doctype | pugi::parse_pi | pugi::parse_fragment;

bool is_blank(std::string_view text) { return text.find_first_not_of(" \t\r\n") == std::string_view::npos; }

std::size_t angle_bracket_in_attribute_at(std::string_view text);

std::string hex_byte(char c) {
  constexpr char digits[] = "0123456789ABCDEF";
  const auto value = static_cast<unsigned char>(c);
  return {digits[value >> 4], digits[value & 0xF]};
}

// pugixml would happily parse UTF-16 by converting it, but then offsets no longer index the file's
// bytes and a splice would write UTF-8 into a UTF-16 file. Such files are rare; refusing them
// clearly is safer than converting them silently.
void require_utf8(std::string_view text, const std::string& path) {
  const bool little_endian = text.size() >= 2 && text[0] == '\xFF' && text[1] == '\xFE';
  const bool big_endian = text.size() >= 2 && text[0] == '\xFE' && text[1] == '\xFF';
  if (little_endian || big_endian) {
    // Said for certain: text without ASCII (no NUL bytes at all) is only recognised by its BOM.
    throw Error(Code::not_utf8, {path, 0, 0},
                std::string("the file is UTF-16 (") + (big_endian ? "big" : "little") +
                    "-endian byte order mark), not UTF-8; save it as UTF-8 and try again");
  }
  if (text.find('\0') != std::string_view::npos) {
    throw Error(Code::not_utf8, {path, 0, 0},
                "the file is not UTF-8 (UTF-16 or binary?); save it as UTF-8 and try again");
  }
  // pugixml copies any byte through; .NET stops at the first one that is not UTF-8 ("Invalid
  // character in the given encoding"), so a file IIS cannot read must not pass here.
  if (const auto bad = invalid_utf8_at(text); bad != std::string_view::npos) {
    throw Error(Code::not_utf8, locate_offset(text, static_cast<std::ptrdiff_t>(bad), path),
                "the file is not UTF-8: a byte 0x" + hex_byte(text[bad]) +
                    " that no UTF-8 character has here (Latin-1 or another code page?); save it as UTF-8");
  }
}

// Offset of a '<' inside an attribute value, or npos. pugixml takes it as part of the value;
// XML 1.0 (AttValue) and .NET refuse it. Comments, CDATA sections, processing instructions and
// declarations are skipped whole, and character data outside tags holds no quotes that count.
// Values are searched with memchr: this pass costs a fraction of the parse.
std::size_t angle_bracket_in_attribute_at(std::string_view text) {
  constexpr std::pair<std::string_view, std::string_view> skipped[] = {
      {"<!--", "-->"}, {"<![CDATA[", "]]>"}, {"<?", "?>"}, {"<!", ">"}};
  constexpr auto npos = std::string_view::npos;
  for (std::size_t i = text.find('<'); i != npos;) {
    const auto rest = text.substr(i);
    const auto skip =
        rest.size() > 1 && (rest[1] == '!' || rest[1] == '?')
            ? std::find_if(std::begin(skipped), std::end(skipped),
                           [&](const auto& pair) { return rest.substr(0, pair.first.size()) == pair.first; })
            : std::end(skipped);
    if (skip != std::end(skipped)) {
      const auto end = text.find(skip->second, i + skip->first.size());
      if (end == npos) return npos;  // the parser reports it
      i = text.find('<', end + skip->second.size());
      continue;
    }
    // A tag: quotes open and close attribute values until the '>' outside them.
    for (++i;;) {
      // The spans between values are a name and a few spaces: a plain loop beats find_first_of.
      auto stop = i;
      while (stop < text.size() && text[stop] != '"' && text[stop] != '\'' && text[stop] != '>') ++stop;
      if (stop == text.size()) return npos;
      if (text[stop] == '>') {
        i = text.find('<', stop + 1);
        break;
      }
      const auto close = text.find(text[stop], stop + 1);
      if (close == npos) return npos;
      const void* bracket = std::memchr(text.data() + stop + 1, '<', close - stop - 1);
      if (bracket != nullptr) return static_cast<std::size_t>(static_cast<const char*>(bracket) - text.data());
      i = close + 1;
    }
  }
  return npos;
}

bool is_lead_byte(char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }

// Whether a name occurs twice. A few names (nearly every element has two to seven attributes) are
// compared pairwise, which costs a tenth of sorting them; more are sorted, which keeps this
// n log n: comparing every pair made `rotate` take 53 s on one element with 50,000 attributes
// (0.1 s now).
bool has_repeat(std::vector<std::string_view>& names) {
  constexpr std::size_t compared_pairwise = 8;
  if (names.size() <= compared_pairwise) {
    for (auto one = names.begin(); one != names.end(); ++one) {
      if (std::find(one + 1, names.end(), *one) != names.end()) return true;
    }
    return false;
  }
  std::sort(names.begin(), names.end());
  return std::adjacent_find(names.begin(), names.end()) != names.end();
}

// Finds the first element that repeats an attribute name. Walking the tree instead of building an
// XPath "//*" node set keeps the common case cheap.
class RepeatedAttributeFinder : public pugi::xml_tree_walker {
 public:
  bool for_each(pugi::xml_node& node) override {
    const auto first = node.first_attribute();
    if (node.type() != pugi::node_element || !first || !first.next_attribute()) return true;
    names_.clear();
    for (auto attribute = first; attribute; attribute = attribute.next_attribute()) {
      names_.emplace_back(attribute.name());
    }
    if (!has_repeat(names_)) return true;
    // Of several repeated names, the message names the first one a reader meets in the tag.
    std::sort(names_.begin(), names_.end());
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

// Offset of the first byte that does not belong to a well-formed UTF-8 sequence (RFC 3629: no
// overlong forms, no surrogates, nothing above U+10FFFF), or npos. Runs of ASCII, nearly all of a
// config, are passed over 8 bytes at a time.
std::size_t invalid_utf8_at(std::string_view text) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  for (std::size_t i = 0; i < text.size();) {
    std::uint64_t word = 0;
    if (i + sizeof word <= text.size()) {
      std::memcpy(&word, text.data() + i, sizeof word);
      if ((word & 0x8080808080808080ULL) == 0) {
        i += sizeof word;
        continue;
      }
    }
    const unsigned char lead = byte(i);
    if (lead < 0x80) {
      ++i;
      continue;
    }
    std::size_t length = 0;
    unsigned char low = 0x80, high = 0xBF;  // the range of the second byte
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      if (lead == 0xE0) low = 0xA0;
      if (lead == 0xED) high = 0x9F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      if (lead == 0xF0) low = 0x90;
      if (lead == 0xF4) high = 0x8F;
    } else {
      return i;
    }
    if (i + length > text.size()) return i;
    if (byte(i + 1) < low || byte(i + 1) > high) return i;
    for (std::size_t k = 2; k < length; ++k) {
      if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return i;
    }
    i += length;
  }
  return std::string_view::npos;
}

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

XmlText::XmlText(std::string_view text, std::string path, Whitespace whitespace) : text_(text), path_(std::move(path)) {
  require_utf8(text_, path_);
  const unsigned chosen = whitespace == Whitespace::keep ? options | pugi::parse_ws_pcdata : options;
  const auto result = document_.load_buffer(text_.data(), text_.size(), chosen, pugi::encoding_utf8);
  if (!result) {
    throw Error(Code::malformed_xml, locate(result.offset),
                std::string("not well-formed XML: ") + result.description());
  }
  require_one_root();
  require_distinct_attributes();
  if (const auto bracket = angle_bracket_in_attribute_at(text_); bracket != std::string_view::npos) {
    throw Error(Code::malformed_xml, locate(static_cast<std::ptrdiff_t>(bracket)),
                "not well-formed XML: '<' inside an attribute value (write it as &lt;)");
  }
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
