// Paragraphs for the terminal: words filled into lines of a given width.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace smtpspec::conformance {

// The words of `text` (split at spaces) in lines of at most `width` columns
// counting `indent`, each line starting with `indent` and ending in '\n'. A
// word longer than the line stands on a line of its own.
std::string wrap(std::string_view text, std::string_view indent, std::size_t width = 80);

}  // namespace smtpspec::conformance
