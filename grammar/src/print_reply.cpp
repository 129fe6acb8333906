// Printers of replies (RFC 5321 §4.2, §4.1.1.1; RFC 3463 §2): the exact
// inverse of the reply grammar for every AST value within the limits.
#include <cstdio>
#include <string>

#include "smtpspec/grammar/print.hpp"

namespace smtpspec::grammar {

namespace {

// Reply-code = %x32-35 %x30-35 %x30-39: always three digits.
std::string code_text(unsigned code) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%03u", code % 1000);
    return buf;
}

// A line's text as written after the code and separator: the status-code,
// then SP and the rest of the text if there is any (RFC 2034 §4).
std::string line_text(ast::ReplyLine const& line) {
    if (!line.enhanced) return line.text;
    std::string s = print(*line.enhanced);
    if (!line.text.empty()) {
        s += ' ';
        s += line.text;
    }
    return s;
}

}  // namespace

// status-code = class "." subject "." detail                       RFC 3463 §2
std::string print(ast::EnhancedCode const& code) {
    return std::to_string(code.cls) + '.' + std::to_string(code.subject) + '.' + std::to_string(code.detail);
}

// Reply-line = *( Reply-code "-" [ textstring ] CRLF )
//              Reply-code [ SP textstring ] CRLF                     RFC 5321 §4.2
// A reply without lines is printed as the code alone; an empty 334 challenge
// as "334 " (RFC 4954 §4).
std::string print(ast::Reply const& reply) {
    std::string const code = code_text(reply.code);
    if (reply.lines.empty()) return code + "\r\n";
    std::string out;
    for (std::size_t i = 0; i < reply.lines.size(); ++i) {
        std::string const text = line_text(reply.lines[i]);
        bool const last = i + 1 == reply.lines.size();
        out += code;
        if (!last) out += '-';
        else if (!text.empty() || reply.code == 334) out += ' ';  // "334 ": RFC 4954 §4
        out += text;
        out += "\r\n";
    }
    return out;
}

// Greeting = ( "220 " (Domain / address-literal) [ SP textstring ] CRLF ) /
//            ( "220-" (Domain / address-literal) [ SP textstring ] CRLF
//              *( "220-" [ textstring ] CRLF )
//              "220" [ SP textstring ] CRLF )                        RFC 5321 §4.2
// An empty `more` is the single-line form.
std::string print(ast::Greeting const& greeting) {
    std::string out = greeting.more.empty() ? "220 " : "220-";
    out += print(greeting.host);
    if (!greeting.text.empty()) {
        out += ' ';
        out += greeting.text;
    }
    out += "\r\n";
    for (std::size_t i = 0; i < greeting.more.size(); ++i) {
        bool const last = i + 1 == greeting.more.size();
        out += last ? "220" : "220-";
        if (last && !greeting.more[i].empty()) out += ' ';
        out += greeting.more[i];
        out += "\r\n";
    }
    return out;
}

// ehlo-ok-rsp = ( "250" SP Domain [ SP ehlo-greet ] CRLF )
//             / ( "250-" Domain [ SP ehlo-greet ] CRLF
//                 *( "250-" ehlo-line CRLF )
//                 "250" SP ehlo-line CRLF )                           RFC 5321 §4.1.1.1
// ehlo-line = ehlo-keyword *( SP ehlo-param )
// An empty `lines` is the single-line form.
std::string print(ast::EhloReply const& reply) {
    std::string out = reply.lines.empty() ? "250 " : "250-";
    out += print(reply.host);
    if (!reply.greet.empty()) {
        out += ' ';
        out += reply.greet;
    }
    out += "\r\n";
    for (std::size_t i = 0; i < reply.lines.size(); ++i) {
        out += i + 1 == reply.lines.size() ? "250 " : "250-";
        out += reply.lines[i].keyword;
        for (auto const& p : reply.lines[i].params) {
            out += ' ';
            out += p;
        }
        out += "\r\n";
    }
    return out;
}

}  // namespace smtpspec::grammar
