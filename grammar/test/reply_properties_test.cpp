// Properties of the reply grammar, its printers and the ReplyReader:
// parse(print(x)) == x for every reply AST type, printed lines within the
// RFC 5321 §4.5.3.1.5 limit, strict acceptance implies lenient acceptance, and
// the reader gives the same events however the bytes are split.
#include "smtpspec/grammar/generators/reply.hpp"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <string>
#include <tuple>
#include <vector>

#include "smtpspec/grammar/limits.hpp"
#include "smtpspec/grammar/parse.hpp"
#include "smtpspec/grammar/print.hpp"
#include "smtpspec/grammar/reply_reader.hpp"

namespace {

using namespace smtpspec::grammar;

Options const strict{Mode::strict, false};
Options const lenient{Mode::lenient, false};

// Every line of `text` (cut at CRLF) is at most limits::reply_line octets with its CRLF.
bool lines_within_limit(std::string const& text) {
    std::size_t start = 0;
    while (start < text.size()) {
        auto const end = text.find("\r\n", start);
        if (end == std::string::npos) return false;  // every printed line ends in CRLF
        if (end + 2 - start > limits::reply_line) return false;
        start = end + 2;
    }
    return true;
}

template <class T>
std::string describe(Result<T> const& r) {
    if (r.ok()) return "ok";
    return "error @" + std::to_string(r.error().offset) + " " + r.error().message;
}

// ---------------------------------------------------------------- round trips

RC_GTEST_PROP(ReplyRoundTrip, EnhancedCode, (ast::EnhancedCode const& code)) {
    auto const text = print(code);
    auto const r = parse_enhanced_code(text);
    RC_ASSERT(r.ok());
    RC_ASSERT(r.value() == code);
}

RC_GTEST_PROP(ReplyRoundTrip, ReplyLineAloneAndBetweenOthers, (ast::ReplyLine const& line)) {
    for (auto const& reply : {ast::Reply{250, {line}}, ast::Reply{550, {line, line}},
                              ast::Reply{421, {ast::ReplyLine{}, line, ast::ReplyLine{}}}}) {
        auto const text = print(reply);
        RC_ASSERT(lines_within_limit(text));
        auto const r = parse_reply(text);
        RC_ASSERT(r.ok());
        RC_ASSERT(r.value() == reply);
    }
}

RC_GTEST_PROP(ReplyRoundTrip, Reply, (ast::Reply const& reply)) {
    auto const text = print(reply);
    RC_ASSERT(lines_within_limit(text));
    auto const r = parse_reply(text);
    RC_ASSERT(r.ok());
    RC_ASSERT(r.value() == reply);
    RC_ASSERT(r.deviations().empty());
    // The final CRLF may be left off.
    auto const cut = parse_reply(std::string_view(text).substr(0, text.size() - 2));
    RC_ASSERT(cut.ok());
    RC_ASSERT(cut.value() == reply);
}

RC_GTEST_PROP(ReplyRoundTrip, Greeting, (ast::Greeting const& greeting)) {
    auto const text = print(greeting);
    RC_ASSERT(lines_within_limit(text));
    auto const r = parse_greeting(text);
    RC_LOG() << text << " -> " << describe(r) << "\n";
    RC_ASSERT(r.ok());
    RC_ASSERT(r.value() == greeting);
    // A greeting is also a reply with code 220.
    auto const as_reply = parse_reply(text);
    RC_ASSERT(as_reply.ok());
    RC_ASSERT(as_reply.value().code == 220u);
}

RC_GTEST_PROP(ReplyRoundTrip, EhloLine, (ast::EhloLine const& line)) {
    ast::EhloReply const reply{ast::Domain{{"mx", "example"}}, "", {line}};
    auto const text = print(reply);
    auto const r = parse_ehlo_reply(text);
    RC_ASSERT(r.ok());
    RC_ASSERT(r.value() == reply);
}

RC_GTEST_PROP(ReplyRoundTrip, EhloReply, (ast::EhloReply const& reply)) {
    auto const text = print(reply);
    RC_ASSERT(lines_within_limit(text));
    auto const r = parse_ehlo_reply(text);
    RC_LOG() << text << " -> " << describe(r) << "\n";
    RC_ASSERT(r.ok());
    RC_ASSERT(r.value() == reply);
}

// ---------------------------------------------------------------- strict implies lenient

// Up to three edits (insert, erase or replace an octet) of a valid text, with
// octets that matter to the reply grammar.
rc::Gen<std::string> mutated(rc::Gen<std::string> valid) {
    using Edit = std::tuple<int, std::size_t, char>;
    auto const edit = rc::gen::tuple(rc::gen::inRange(0, 3), rc::gen::inRange<std::size_t>(0, 1u << 20),
                                     rc::gen::elementOf(std::string(" \r\n-\t025.x=\x01\x7F\x80", 15)));
    return rc::gen::apply(
        [](std::string text, std::vector<Edit> edits) {
            for (auto const& [op, where, c] : edits) {
                auto const at = text.empty() ? 0 : where % (text.size() + (op == 0 ? 1 : 0));
                if (op == 0) text.insert(text.begin() + static_cast<std::ptrdiff_t>(at), c);
                else if (text.empty()) continue;
                else if (op == 1) text.erase(at, 1);
                else text[at] = c;
            }
            return text;
        },
        std::move(valid), generators::container_of<std::vector<Edit>>(0, 3, edit));
}

template <class T>
std::string printed(T const& value) {
    return print(value);
}

template <class T, class Parse>
void strict_implies_lenient(std::string const& text, Parse parse) {
    auto const s = parse(text, strict);
    auto const l = parse(text, lenient);
    if (s.ok()) {
        RC_ASSERT(l.ok());
        RC_ASSERT(l.value() == s.value());
        RC_ASSERT(l.deviations().empty());
    }
    // Lenient mode reports each deviation with an offset inside the input.
    if (l.ok()) {
        for (auto const& d : l.deviations()) {
            RC_ASSERT(d.offset <= text.size());
            RC_ASSERT(!d.message.empty());
        }
    }
}

RC_GTEST_PROP(ReplyModes, StrictAcceptanceImpliesLenientAcceptance, ()) {
    auto const reply_text = *mutated(rc::gen::map(rc::gen::arbitrary<ast::Reply>(), printed<ast::Reply>));
    strict_implies_lenient<ast::Reply>(reply_text, [](std::string_view t, Options o) { return parse_reply(t, o); });
    auto const greeting_text = *mutated(rc::gen::map(rc::gen::arbitrary<ast::Greeting>(), printed<ast::Greeting>));
    strict_implies_lenient<ast::Greeting>(greeting_text,
                                          [](std::string_view t, Options o) { return parse_greeting(t, o); });
    auto const ehlo_text = *mutated(rc::gen::map(rc::gen::arbitrary<ast::EhloReply>(), printed<ast::EhloReply>));
    strict_implies_lenient<ast::EhloReply>(ehlo_text,
                                           [](std::string_view t, Options o) { return parse_ehlo_reply(t, o); });
}

// What lenient mode repairs reads back as the value of the repaired text.
RC_GTEST_PROP(ReplyModes, BareLfReadsAsCrlf, (ast::Reply const& reply)) {
    auto text = print(reply);
    std::string bare;
    for (char c : text)
        if (c != '\r') bare += c;
    RC_ASSERT(!parse_reply(bare).ok());
    auto const r = parse_reply(bare, lenient);
    RC_ASSERT(r.ok());
    RC_ASSERT(r.value() == reply);
    RC_ASSERT(r.deviations().size() == reply.lines.size());
    for (auto const& d : r.deviations()) RC_ASSERT(d.id == std::string("bare-lf"));
}

// ---------------------------------------------------------------- the reader

std::string show(ReplyReader::Event const& e) {
    if (auto const* c = std::get_if<ReplyReader::Complete>(&e)) {
        std::string s = "complete " + print(c->reply) + " raw=" + c->raw;
        for (auto const& d : c->deviations) s += " ~" + d.id + "@" + std::to_string(d.offset);
        return s;
    }
    if (auto const* f = std::get_if<ReplyReader::Failed>(&e))
        return "failed " + std::to_string(static_cast<int>(f->error.kind)) + "@" + std::to_string(f->error.offset) +
               " raw=" + f->raw;
    return "need-more";
}

// Feeds `input` cut at `cuts` (ascending offsets), draining after each piece.
std::vector<std::string> read_in_pieces(std::string_view input, std::vector<std::size_t> const& cuts, Options options,
                                        std::size_t max_line = limits::reply_line,
                                        std::size_t max_lines = limits::reply_lines) {
    ReplyReader reader(options, max_line, max_lines);
    std::vector<std::string> events;
    std::size_t from = 0;
    auto const drain = [&] {
        for (;;) {
            auto e = reader.next();
            if (std::holds_alternative<ReplyReader::NeedMore>(e)) break;
            events.push_back(show(e));
        }
        RC_ASSERT(reader.buffered() <= max_lines * max_line + max_line + 1);
    };
    for (auto cut : cuts) {
        reader.feed(input.substr(from, cut - from));
        from = cut;
        drain();
    }
    reader.feed(input.substr(from));
    drain();
    return events;
}

RC_GTEST_PROP(ReplyReaderProps, PrintedRepliesComeOutAsTheyWent, ()) {
    auto const replies = *generators::container_of<std::vector<ast::Reply>>(0, 4, generators::replies::reply(4));
    std::string input;
    for (auto const& r : replies) input += print(r);
    ReplyReader reader;
    reader.feed(input);
    for (auto const& want : replies) {
        auto e = reader.next();
        auto const* c = std::get_if<ReplyReader::Complete>(&e);
        RC_ASSERT(c != nullptr);
        RC_ASSERT(c->reply == want);
        RC_ASSERT(c->raw == print(want));
        RC_ASSERT(c->deviations.empty());
    }
    RC_ASSERT(std::holds_alternative<ReplyReader::NeedMore>(reader.next()));
    RC_ASSERT(reader.buffered() == 0u);
}

// Short replies, valid or mutated, so that every split point can be tried.
rc::Gen<std::string> stream() {
    auto const one = mutated(rc::gen::map(generators::replies::reply(3, 30), printed<ast::Reply>));
    return rc::gen::map(generators::container_of<std::vector<std::string>>(1, 4, one), [](std::vector<std::string> parts) {
        std::string s;
        for (auto const& p : parts) s += p;
        return s;
    });
}

RC_GTEST_PROP(ReplyReaderProps, EverySplitPointGivesTheSameEvents, ()) {
    auto const input = *stream();
    auto const options = *rc::gen::element(strict, lenient);
    auto const whole = read_in_pieces(input, {}, options);
    for (std::size_t i = 0; i <= input.size(); ++i) RC_ASSERT(read_in_pieces(input, {i}, options) == whole);
    std::vector<std::size_t> every;
    for (std::size_t i = 1; i < input.size(); ++i) every.push_back(i);
    RC_ASSERT(read_in_pieces(input, every, options) == whole);
}

RC_GTEST_PROP(ReplyReaderProps, RandomChunksGiveTheSameEvents, ()) {
    auto const input = *stream();
    auto const options = *rc::gen::element(strict, lenient);
    auto cuts = *rc::gen::container<std::vector<std::size_t>>(rc::gen::inRange<std::size_t>(0, input.size() + 1));
    std::sort(cuts.begin(), cuts.end());
    RC_ASSERT(read_in_pieces(input, cuts, options) == read_in_pieces(input, {}, options));
}

// With small bounds, whatever the input, the reader holds at most one
// reply's worth of lines and one line more than the limit.
RC_GTEST_PROP(ReplyReaderProps, SmallBoundsHold, ()) {
    auto const input = *stream();
    auto cuts = *rc::gen::container<std::vector<std::size_t>>(rc::gen::inRange<std::size_t>(0, input.size() + 1));
    std::sort(cuts.begin(), cuts.end());
    auto const events = read_in_pieces(input, cuts, lenient, 24, 2);
    RC_ASSERT(read_in_pieces(input, {}, lenient, 24, 2) == events);
}

}  // namespace
