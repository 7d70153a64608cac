// What a publish does to web.debug.config, decided without touching the disk:
//   absent                         -> written from the template
//   generated (marker comment)     -> rewritten from the template
//   user-owned (marker removed)    -> only the secret's value replaced, every other byte kept
//   user-owned without the setting -> left alone (the caller warns)
#pragma once

#include <optional>

#include "core/secret.h"
#include "core/xml_text.h"

namespace ptvsd {

enum class DebugConfigAction { created, regenerated, secret_replaced, left_alone };

struct DebugConfigUpdate {
  DebugConfigAction action;
  SensitiveString contents;  // empty for left_alone
};

// `regenerate` rewrites even a user-owned file (MSBuild's AlwaysRegenerateWebDebugConfig).
DebugConfigUpdate update_debug_config(const std::optional<XmlText>& existing, const XmlText& template_text,
                                      const Secret& secret, bool regenerate);

}  // namespace ptvsd
