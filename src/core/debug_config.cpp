#include "core/debug_config.h"

#include "core/config_edit.h"
#include "core/transform_template.h"

namespace ptvsd {

DebugConfigUpdate update_debug_config(const std::optional<XmlText>& existing, const XmlText& template_text,
                                      const Secret& secret, bool regenerate) {
  if (!existing) return {DebugConfigAction::created, render_template(template_text, secret)};
  if (regenerate || has_generated_marker(*existing)) {
    return {DebugConfigAction::regenerated, render_template(template_text, secret)};
  }
  if (secret_settings(*existing).empty()) return {DebugConfigAction::left_alone, {}};
  return {DebugConfigAction::secret_replaced, splice_secret(*existing, secret)};
}

}  // namespace ptvsd
