// What a parse function returns: the AST with the deviations it accepted
// (lenient mode), or an error that names the byte offset and the production.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace smtpspec::grammar {

// strict: the ABNF to the letter. lenient: also the common real-world
// deviations, each accepted one reported as a Deviation.
enum class Mode { strict, lenient };

struct Options {
    Mode mode = Mode::strict;
    // RFC 6531 §3.3: UTF8-non-ascii in Local-part and U-labels in Domain are
    // allowed only in an SMTPUTF8 transaction. When false, a non-ASCII octet in
    // an address is an error (kind `encoding`); when true it must be valid UTF-8.
    bool smtputf8 = false;
};

enum class ErrorKind {
    syntax,    // the input does not match the ABNF
    limit,     // an RFC 5321 §4.5.3.1 size limit is exceeded
    encoding,  // invalid UTF-8, or non-ASCII where SMTPUTF8 is not in effect
};

struct ParseError {
    ErrorKind kind = ErrorKind::syntax;
    std::size_t offset = 0;  // byte offset into the input where the problem is
    std::string expected;    // the production expected there, by its ABNF name (e.g. "Reverse-path")
    std::string message;     // one line for a human
    bool operator==(const ParseError&) const = default;
};

// A real-world deviation from the ABNF that lenient mode accepted.
struct Deviation {
    std::string id;          // stable name, e.g. "space-after-colon"
    std::size_t offset = 0;  // byte offset into the input
    std::string message;     // one line for a human, citing the RFC section
    bool operator==(const Deviation&) const = default;
};

template <class T>
struct Parsed {
    T value;
    std::vector<Deviation> deviations;  // always empty in strict mode
};

template <class T>
class Result {
public:
    Result(Parsed<T> p) : v_(std::move(p)) {}
    Result(ParseError e) : v_(std::move(e)) {}

    bool ok() const noexcept { return v_.index() == 0; }
    explicit operator bool() const noexcept { return ok(); }

    const T& value() const& { return std::get<0>(v_).value; }
    T&& value() && { return std::move(std::get<0>(v_).value); }
    const std::vector<Deviation>& deviations() const { return std::get<0>(v_).deviations; }
    const ParseError& error() const { return std::get<1>(v_); }

private:
    std::variant<Parsed<T>, ParseError> v_;
};

}  // namespace smtpspec::grammar
