// Turning a template (an XDT transform with {{name}} placeholders) into the web.debug.config text.
// Placeholders are filled in the parsed document, never by text substitution, so no value can break
// the XML; unknown or unclosed placeholders are errors located at the placeholder in the template.
#pragma once

#include <string_view>
#include <vector>

#include "core/secret.h"
#include "core/xml_text.h"

namespace ptvsd {

struct Placeholder {
  std::string_view name;  // without braces: "secret"
  std::string_view value;
};

// Throws Error(template_placeholder) for a {{name}} not in `values` or a {{ without }}, quoting it
// as written and located at its braces (at the start of its text when an entity hides them), and
// when the result does not hold exactly one WSGI_PTVSD_SECRET setting carrying the secret;
// Error(template_marker) when the template lacks the generated-file marker (its output would then
// look user-owned next time).
SensitiveString render_template(const XmlText& source, const Secret& secret,
                                const std::vector<Placeholder>& extra_values = {});

}  // namespace ptvsd
