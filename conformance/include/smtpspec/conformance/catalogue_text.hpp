// The catalogue as text: `smtpspec list` (text, JSON), docs/checks.md
// (Markdown) and `smtpspec explain ID`.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "smtpspec/conformance/check.hpp"
#include "smtpspec/model/docs.hpp"

namespace smtpspec::conformance {

// A line per check, grouped by RFC section: id, level, profiles, needs, title.
std::string list_text(std::span<const Check> checks);
// An array of {id, title, section: {rfc, section}, level, profiles, needs,
// rules: [{id, rfc, section, level}], sends, accepts}.
std::string list_json(std::span<const Check> checks);
// docs/checks.md: an intro, then a table per RFC (id, title, level, profiles, needs, rules).
std::string list_markdown(std::span<const Check> checks);

// Rule name -> the ids of the checks judged on it, in catalogue order: the
// Checks column of docs/model.md (model::model_markdown(coverage)).
model::Coverage rule_coverage(std::span<const Check> checks);

// Everything about one check: title, id, RFC section, level, profiles, needs,
// each rule with its RFC section, level and the RFC's words, what it sends and
// what a conforming server answers.
std::string explain(const Check& check);

// "all", or those that apply: "relay, submission"; "--rcpt, --slow", or "nothing".
std::string profiles_text(std::uint8_t profiles);
std::string needs_text(std::uint8_t needs);

// The ids of `checks` closest to `id`, most alike first (the same slug, the
// same section, a small edit distance), at most `limit` of them.
std::vector<std::string_view> closest_ids(std::string_view id, std::span<const Check> checks, std::size_t limit = 3);

}  // namespace smtpspec::conformance
