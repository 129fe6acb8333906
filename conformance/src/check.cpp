// The vocabulary of checks (check.hpp): verdict names, sections, rule lookup.
#include "smtpspec/conformance/check.hpp"

#include <charconv>

#include "smtpspec/conformance/tls_rules.hpp"

namespace smtpspec::conformance {

std::string_view to_string(Verdict v) noexcept {
    switch (v) {
        case Verdict::pass: return "pass";
        case Verdict::fail: return "fail";
        case Verdict::warn: return "warn";
        case Verdict::info: return "info";
        case Verdict::skip: return "skip";
        case Verdict::error: return "error";
    }
    return "error";
}

std::string Section::text() const { return "RFC " + std::to_string(rfc) + " §" + section; }

Section section_of(std::string_view id) {
    Section s;
    if (!id.starts_with("rfc")) return s;
    std::size_t slash = id.find('/');
    std::string_view number = id.substr(3, slash == std::string_view::npos ? std::string_view::npos : slash - 3);
    std::from_chars(number.data(), number.data() + number.size(), s.rfc);
    if (slash == std::string_view::npos) return s;
    std::string_view rest = id.substr(slash + 1);
    s.section = std::string(rest.substr(0, rest.find('/')));
    return s;
}

std::optional<RuleRef> find_any_rule(std::string_view name) {
    if (const model::Rule* r = model::find_rule(name))
        return RuleRef{r->name, r->rfc, r->section, r->level, r->summary, r->quote};
    for (const RuleRef& r : tls_rules())
        if (r.name == name) return r;
    return std::nullopt;
}

model::Level level_of(const Check& check) {
    model::Level level = model::Level::info;
    for (std::string_view name : check.rules)
        if (auto r = find_any_rule(name); r && static_cast<int>(r->level) < static_cast<int>(level)) level = r->level;
    return level;
}

Verdict verdict_for(model::Level level, bool pedantic) noexcept {
    switch (level) {
        case model::Level::must: return Verdict::fail;
        case model::Level::should: return Verdict::warn;
        case model::Level::info: return pedantic ? Verdict::warn : Verdict::info;
    }
    return Verdict::info;
}

void Counts::add(Verdict v) noexcept {
    switch (v) {
        case Verdict::pass: ++pass; break;
        case Verdict::fail: ++fail; break;
        case Verdict::warn: ++warn; break;
        case Verdict::info: ++info; break;
        case Verdict::skip: ++skip; break;
        case Verdict::error: ++error; break;
    }
}

Counts RunReport::counts() const {
    Counts c;
    for (const CheckResult& r : results) c.add(r.verdict);
    return c;
}

}  // namespace smtpspec::conformance
