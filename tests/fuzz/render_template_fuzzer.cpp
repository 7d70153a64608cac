// Template filling: any template either renders or throws ptvsd::Error. A rendered template is
// well-formed XML holding the secret in exactly one setting and no {{placeholder}} from a value.
#include <cstdint>
#include <string_view>

#include "core/config_edit.h"
#include "core/transform_template.h"
#include "fuzz_common.h"

using ptvsd::fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  static const auto secret = ptvsd::Secret::generate(16);
  try {
    const ptvsd::XmlText source(text, "fuzz-template.config", ptvsd::XmlText::Whitespace::keep);
    const auto rendered = ptvsd::render_template(source, secret, {{"site", "a&b<c>\"'{{secret}}"}});
    const ptvsd::XmlText result(rendered.str(), "rendered.config");
    const auto settings = ptvsd::secret_settings(result);
    require(settings.size() == 1, "rendered without exactly one setting");
    require(secret.reveal() == settings.front().attribute("value").value(),
            "the setting does not hold the secret");
    require(ptvsd::has_generated_marker(result), "rendered without the generated-file marker");
  } catch (const ptvsd::Error&) {
  }
  return 0;
}
