// What the check tests share: a result described for a failure message, and
// whether a check cites a rule of the model.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>

#include "smtpspec/conformance/check.hpp"
#include "smtpspec/model/rules.hpp"

namespace smtpspec::conformance::test {

// The verdict, the reason, every finding (own and other) and the transcript.
inline std::string describe(const CheckResult& r) {
    std::string out = std::string(to_string(r.verdict)) + ": " + r.reason;
    for (const Observation& o : r.findings) out += "\n  finding " + o.rule + ": " + o.explanation + " (" + o.actual + ")";
    for (const Observation& o : r.other) out += "\n  other " + o.rule + ": " + o.explanation + " (" + o.actual + ")";
    return out + "\n" + r.transcript;
}

// Whether `check` is judged on `rule`.
inline bool covers(const Check& check, model::RuleId rule) {
    const std::string_view name = model::rule(rule).name;
    return std::find(check.rules.begin(), check.rules.end(), name) != check.rules.end();
}

}  // namespace smtpspec::conformance::test
