// Template filling: any template either renders or throws ptvsd::Error. A rendered template is
// well-formed XML holding the secret in exactly one setting, and a {{placeholder}} inside a value
// is never filled: a value holding {{secret}} puts the secret in no more places than a plain one.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/config_edit.h"
#include "core/transform_template.h"
#include "fuzz_common.h"

using ptvsd::fuzz::require;

namespace {

std::size_t occurrences(std::string_view text, std::string_view word) {
  std::size_t count = 0;
  for (auto at = text.find(word); at != std::string_view::npos; at = text.find(word, at + word.size())) {
    ++count;
  }
  return count;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  static const auto secret = ptvsd::Secret::generate(16);
  try {
    const ptvsd::XmlText source(text, "fuzz-template.config", ptvsd::XmlText::Whitespace::keep);
    const auto rendered = ptvsd::render_template(source, secret, {{"site", "a&b<c>\"'{{secret}}"}});
    const ptvsd::XmlText result(rendered.str(), "rendered.config");
    const auto settings = ptvsd::secret_settings(result);
    require(settings.size() == 1, "rendered without exactly one setting");
    require(secret.reveal() == settings.front().attribute("value").value(), "the setting does not hold the secret");
    require(ptvsd::has_generated_marker(result), "rendered without the generated-file marker");
    const auto plain = ptvsd::render_template(source, secret, {{"site", "plain"}});
    require(occurrences(rendered.str(), secret.reveal()) == occurrences(plain.str(), secret.reveal()),
            "a {{secret}} inside a value was filled");
  } catch (const ptvsd::Error&) {
  }
  return 0;
}
