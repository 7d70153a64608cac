// The rotate / user-owned publish path: XmlText, secret_settings, splice_secret. Whenever a splice
// succeeds, the result must differ from the input only in the value, parse again, and hold the new
// secret as its one setting.
#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/config_edit.h"
#include "fuzz_common.h"

using ptvsd::fuzz::require;

namespace {

std::size_t common_prefix(std::string_view a, std::string_view b) {
  std::size_t n = 0;
  while (n < a.size() && n < b.size() && a[n] == b[n]) ++n;
  return n;
}

std::size_t common_suffix(std::string_view a, std::string_view b) {
  std::size_t n = 0;
  while (n < a.size() && n < b.size() && a[a.size() - 1 - n] == b[b.size() - 1 - n]) ++n;
  return n;
}

// `after` must be `before` with one stretch replaced by the secret. Computed from the bytes alone,
// not from the splice's own offsets, so a wrong offset cannot hide itself.
bool only_one_stretch_became(std::string_view before, std::string_view after, std::string_view value) {
  if (after.size() < value.size()) return false;
  const auto kept = after.size() - value.size();
  const auto prefix = common_prefix(before, after);
  const auto suffix = common_suffix(before, after);
  for (std::size_t at = kept > suffix ? kept - suffix : 0; at <= std::min(prefix, kept); ++at) {
    if (after.substr(at, value.size()) == value && before.size() >= kept) return true;
  }
  return false;
}

void check_splice(std::string_view before, std::string_view after, const ptvsd::Secret& secret) {
  require(only_one_stretch_became(before, after, secret.reveal()), "bytes outside the value changed");
  const ptvsd::XmlText reparsed(after, "spliced.config");
  const auto settings = ptvsd::secret_settings(reparsed);
  require(settings.size() == 1, "not exactly one setting after the splice");
  require(secret.reveal() == settings.front().attribute("value").value(), "the setting does not hold the new secret");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  static const auto secret = ptvsd::Secret::generate();
  try {
    const ptvsd::XmlText config(text, "fuzz.config");
    (void)ptvsd::has_generated_marker(config);
    try {
      ptvsd::require_transformable(config);
    } catch (const ptvsd::Error&) {
    }
    const auto settings = ptvsd::secret_settings(config);
    const auto spliced = ptvsd::splice_secret(config, secret);
    require(settings.size() == 1, "spliced a config without exactly one setting");
    check_splice(text, spliced.str(), secret);
  } catch (const ptvsd::Error&) {
  }
  return 0;
}
