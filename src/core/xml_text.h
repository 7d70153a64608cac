// Parsing config and template text with the rules every command shares: UTF-8 (a BOM is fine), no
// DTD, well-formed. Errors carry the file, line and column of the fault. The text is not copied:
// node offsets (pugi's offset_debug) index the caller's buffer, which lets config_edit change one
// attribute value and keep every other byte.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <pugixml.hpp>

#include "core/diagnostics.h"

namespace ptvsd {

// Offset of the first byte that is not part of well-formed UTF-8 (RFC 3629), or npos.
std::size_t invalid_utf8_at(std::string_view text);

class XmlText {
 public:
  // Throws Error(not_utf8 | dtd_refused | malformed_xml) located in `path`. Whitespace-only text
  // between elements is dropped unless kept (a template keeps it, so its output keeps its layout).
  enum class Whitespace { drop, keep };
  XmlText(std::string_view text, std::string path, Whitespace whitespace = Whitespace::drop);

  const pugi::xml_document& document() const { return document_; }
  std::string_view text() const { return text_; }
  const std::string& path() const { return path_; }
  // Where a byte offset of the text lies, for messages.
  Location locate(std::ptrdiff_t offset) const;
  Location locate(const pugi::xml_node& node) const { return locate(node.offset_debug()); }

 private:
  void require_one_root() const;
  void require_valid_declaration(const pugi::xml_node& declaration) const;
  void require_distinct_attributes();

  std::string_view text_;
  std::string path_;
  pugi::xml_document document_;
};

// 1-based line and column (in characters, not bytes) of an offset in a text.
Location locate_offset(std::string_view text, std::ptrdiff_t offset, std::string path);

}  // namespace ptvsd
