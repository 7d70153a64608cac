// Turning a template (an XDT transform with {{name}} placeholders) into the web.debug.config text.
// Placeholders are filled in the parsed document, never by text substitution, so no value can break
// the XML; unknown or unfilled placeholders are errors that name the template's line.
#pragma once

#include <string_view>
#include <vector>

#include "core/secret.h"
#include "core/xml_text.h"

namespace ptvsd {

struct Placeholder {
  std::string_view name;   // without braces: "secret"
  std::string_view value;
};

// Throws Error(template_placeholder) for a {{name}} not in `values` and when the result does not
// hold exactly one WSGI_PTVSD_SECRET setting carrying the secret, and Error(template_marker) when
// the template lacks the generated-file marker (its output would then look user-owned next time).
SensitiveString render_template(const XmlText& source, const Secret& secret,
                                const std::vector<Placeholder>& extra_values = {});

}  // namespace ptvsd
