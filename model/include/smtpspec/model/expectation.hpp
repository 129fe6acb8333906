// What the model says about one step: the replies a conforming server may
// give (Expectation), and what it found in the reply actually observed
// (Finding, Step).
//
// Two kinds of error are kept apart:
//  - a Finding: the *server* departed from the RFC (level MUST, SHOULD or INFO);
//  - a Misuse: the *driver* handed the model an input that cannot occur in the
//    state it gave (a bug of ours, e.g. message text outside DATA, or an
//    AuthLine outside an AUTH exchange). The model never throws: it reports the
//    misuse in Expectation::misuse / Step::misuse, leaves the state unchanged and
//    produces no finding.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "smtpspec/model/codes.hpp"
#include "smtpspec/model/input.hpp"
#include "smtpspec/model/rules.hpp"
#include "smtpspec/model/state.hpp"

namespace smtpspec::model {

// One requirement on the reply code: a code outside `codes` breaks `rule`
// (and the finding has that rule's level).
struct Constraint {
    CodeSet codes;
    RuleId rule;
};

enum class ReplyKind : std::uint8_t {
    required,  // exactly one reply is due (RFC 5321 §4.2)
    none,      // the server must stay silent (message text, a discarded command, ...)
};

struct Misuse {
    std::string message;
    bool operator==(const Misuse&) const = default;
};

struct Expectation {
    ReplyKind reply = ReplyKind::required;
    // All are checked; the finding is the most severe broken one (MUST before
    // SHOULD before INFO, then table order).
    // With `reply == none`, constraints[0].rule names the rule an unsolicited
    // reply breaks and its codes are empty.
    std::array<Constraint, 8> constraints{};
    std::uint8_t count = 0;
    // Whether the server may close the connection now (instead of replying, or
    // as the event ServerClosed); when it may not, closing breaks `close_rule`.
    bool may_close = false;
    RuleId close_rule = RuleId::no_close;
    // ENHANCEDSTATUSCODES in force: 2yz/4yz/5yz replies carry an enhanced code (RFC 2034 §4).
    bool enhanced = false;
    // Rules the reply's content (not its code) is checked against: enhanced
    // codes, EHLO keywords, challenge syntax, ... (for coverage and docs).
    std::array<RuleId, 16> content{};
    std::uint8_t content_count = 0;
    std::optional<Misuse> misuse;

    void add(CodeSet codes, RuleId rule) {
        if (count < constraints.size()) constraints[count++] = Constraint{codes, rule};
    }
    void add_content(RuleId rule) {
        if (content_count < content.size()) content[content_count++] = rule;
    }
    // The codes every constraint allows.
    CodeSet allowed() const;
};

struct Finding {
    RuleId rule;
    Level level;               // always rule(rule).level
    std::string explanation;   // one line
    std::string expected;      // e.g. "503"
    std::string actual;        // e.g. "250 2.1.0 Ok"
    bool operator==(const Finding&) const = default;
};

struct Step {
    State next;
    std::vector<Finding> findings;
    std::optional<Misuse> misuse;
};

}  // namespace smtpspec::model
