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
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
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

// Room for up to N constraints, of which an Expectation uses its first
// `count`: the slots past it are left uninitialised (a CodeSet is 56 bytes, and
// expect() runs once per step), so read only [0, count).
template <std::size_t N>
class ConstraintSlots {
public:
    ConstraintSlots() noexcept {}  // NOLINT: the slots are written before they are read
    ConstraintSlots(const ConstraintSlots& other) noexcept { copy_from(other); }
    ConstraintSlots& operator=(const ConstraintSlots& other) noexcept {
        copy_from(other);
        return *this;
    }
    static constexpr std::size_t size() noexcept { return N; }
    Constraint& operator[](std::size_t i) noexcept { return items_[i]; }
    const Constraint& operator[](std::size_t i) const noexcept { return items_[i]; }
    // Starts the slot's life with `c`; slots are set in order, from 0.
    void set(std::size_t i, const Constraint& c) noexcept {
        std::construct_at(&items_[i], c);
        used_ = static_cast<std::uint8_t>(i + 1);
    }

private:
    void copy_from(const ConstraintSlots& other) noexcept {
        used_ = other.used_;
        for (std::size_t i = 0; i < used_; ++i) std::construct_at(&items_[i], other.items_[i]);
    }
    std::uint8_t used_ = 0;
    union {
        Constraint items_[N];
    };
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
    ConstraintSlots<8> constraints;
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
        if (count < constraints.size()) constraints.set(count++, Constraint{codes, rule});
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

    // Constructors rather than aggregate initialisation: GCC zero-fills the
    // whole aggregate first, and observe() builds one Step per model step.
    Step() = default;
    Step(State&& n, std::vector<Finding>&& f, std::optional<Misuse> m) noexcept
        : next(std::move(n)), findings(std::move(f)), misuse(std::move(m)) {}
    Step(const State& n, std::vector<Finding> f, std::optional<Misuse> m)
        : next(n), findings(std::move(f)), misuse(std::move(m)) {}
};

}  // namespace smtpspec::model
