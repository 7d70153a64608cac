// Locale-free ASCII text rules shared by the core and the proxy: HTTP tokens and Windows file names
// compare without regard to the case of A-Z, HTTP values are padded with spaces and tabs, and a
// secret must hold no control character.
// Written here rather than taken from Boost: Beast 1.74's iequals reads one byte past both strings
// once a letter differs only in case (fuzz_proxy_request found it on a request for "/ptvSd").
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace ptvsd {

// The C0 controls and DEL: CR and LF end a header or a log line, and none can be typed into one.
constexpr bool is_ascii_control(char c) { return static_cast<unsigned char>(c) < 0x20 || c == '\x7F'; }

constexpr bool is_ascii_digit(char c) { return c >= '0' && c <= '9'; }

// A-Z, a-z and 0-9 only: std::isalnum also takes the letters of the locale's code page.
constexpr bool is_ascii_alphanumeric(char c) {
  return is_ascii_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

constexpr char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// `text` with A-Z made a-z and every other byte kept, whatever the locale (std::tolower's answer
// depends on it, and a UTF-8 byte must never change).
inline std::string ascii_lowercase(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) c = ascii_lower(c);
  return lower;
}

constexpr bool equal_ignoring_ascii_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  }
  return true;
}

// `text` without the spaces and tabs at either end.
constexpr std::string_view trim_spaces_and_tabs(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

}  // namespace ptvsd
