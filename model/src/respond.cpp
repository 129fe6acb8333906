// respond: the reference server. It states what it would like to answer, in
// order of preference, and sends the first answer the model allows; so it
// obeys the model by construction, and the property test checks that the
// model and the server's preferences agree.
#include <algorithm>
#include <string>
#include <vector>

#include "detail/text.hpp"
#include "smtpspec/model/model.hpp"
#include "smtpspec/model/transitions.hpp"

namespace smtpspec::model {
namespace {

namespace ast = grammar::ast;
using detail::iequals;
using detail::is_base64;
using detail::upper;

struct Answer {
    unsigned code;
    unsigned subject;  // enhanced code X.subject.detail, class taken from `code`
    unsigned detail;
    std::string text;
};

// Answers for when the server's first wish is not allowed in this state.
const std::vector<Answer>& fallbacks() {
    static const std::vector<Answer> list{
        {503, 5, 1, "Bad sequence of commands"},
        {501, 5, 4, "Syntax error in parameters"},
        {504, 5, 4, "Command parameter not implemented"},
        {550, 7, 1, "Refused"},
        {554, 7, 1, "Transaction failed"},
        {552, 3, 4, "Message size exceeds fixed limit"},
        {500, 5, 2, "Command unrecognized"},
        {530, 7, 0, "Authentication required"},
        {221, 0, 0, "Bye"},
        {250, 0, 0, "Ok"},
        {421, 3, 0, "Service not available, closing transmission channel"},
    };
    return list;
}

bool offers_starttls(const State& s, const Policy& p) {
    return p.starttls && !s.tls && s.profile != Profile::submissions;
}

bool plaintext_mechanism(std::string_view m) { return iequals(m, "PLAIN") || iequals(m, "LOGIN"); }

// RFC 4954 §4 / RFC 8314: plaintext password mechanisms only inside TLS; a
// submission server always offers AUTH inside TLS (RFC 6409 §7).
std::vector<std::string> offered_mechanisms(const State& s, const Policy& p) {
    std::vector<std::string> out;
    for (const std::string& m : p.auth_mechanisms) {
        std::string u = upper(m);
        if (u.empty() || std::find(out.begin(), out.end(), u) != out.end()) continue;
        bool token = std::all_of(u.begin(), u.end(), [](char c) {
            return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
        });
        if (!token) continue;
        if (!s.tls && plaintext_mechanism(u)) continue;
        out.push_back(u);
    }
    if (out.empty() && s.tls && s.profile != Profile::relay) out.push_back("PLAIN");
    return out;
}

bool valid_credentials(const Policy& p, std::string_view user, std::string_view password) {
    return std::any_of(p.credentials.begin(), p.credentials.end(),
                       [&](const Credential& c) { return c.user == user && c.password == password; });
}

// PLAIN (RFC 4616): [authzid] NUL authcid NUL passwd.
bool plain_ok(const Policy& p, std::string_view base64) {
    std::optional<std::string> msg = detail::decode_base64(base64);
    if (!msg) return false;
    std::size_t a = msg->find('\0');
    if (a == std::string::npos) return false;
    std::size_t b = msg->find('\0', a + 1);
    if (b == std::string::npos) return false;
    std::string_view authzid = std::string_view(*msg).substr(0, a);
    std::string_view user = std::string_view(*msg).substr(a + 1, b - a - 1);
    std::string_view password = std::string_view(*msg).substr(b + 1);
    if (!authzid.empty() && authzid != user) return false;
    return valid_credentials(p, user, password);
}

ast::Reply ehlo_reply(const State& s, const Policy& p) {
    ast::Reply r;
    r.code = 250;
    auto line = [&](std::string text) { r.lines.push_back(ast::ReplyLine{std::nullopt, std::move(text)}); };
    line(p.hostname.empty() ? "mx.example.org" : p.hostname);
    if (p.pipelining) line("PIPELINING");
    if (p.size_limit) line("SIZE " + std::to_string(*p.size_limit));
    if (p.eight_bit_mime) line("8BITMIME");
    if (p.smtputf8) line("SMTPUTF8");
    if (p.chunking) line("CHUNKING");
    if (p.chunking && p.binary_mime) line("BINARYMIME");
    if (p.enhanced_status_codes) line("ENHANCEDSTATUSCODES");
    if (offers_starttls(s, p)) line("STARTTLS");
    std::vector<std::string> mechs = offered_mechanisms(s, p);
    if (!mechs.empty()) {
        std::string a = "AUTH";
        for (const std::string& m : mechs) a += " " + m;
        line(a);
    }
    return r;
}

std::vector<Answer> wishes_for_command(const State& s, const ast::Command& cmd, const Policy& p) {
    struct V {
        const State& s;
        const Policy& p;
        std::vector<Answer> operator()(const ast::Ehlo&) const { return {}; }
        std::vector<Answer> operator()(const ast::Helo&) const { return {}; }
        std::vector<Answer> operator()(const ast::Mail& m) const {
            std::vector<Answer> w;
            if (s.profile != Profile::relay && !s.authenticated) w.push_back({530, 7, 0, "Authentication required"});
            const auto& caps = s.capabilities;
            for (const ast::Param& param : m.params)
                if (const auto* sz = std::get_if<ast::SizeParam>(&param);
                    sz && caps.size_limit && sz->octets > *caps.size_limit)
                    w.push_back({552, 3, 4, "Message size exceeds fixed maximum message size"});
            w.push_back({250, 1, 0, "Ok"});
            w.push_back({555, 5, 4, "Unsupported parameter"});
            return w;
        }
        std::vector<Answer> operator()(const ast::Rcpt& r) const {
            std::vector<Answer> w;
            unsigned limit = std::max(100u, p.max_recipients);
            if (r.to.path &&
                std::find(p.refused_local_parts.begin(), p.refused_local_parts.end(),
                          r.to.path->mailbox.local.value) != p.refused_local_parts.end())
                w.push_back({550, 1, 1, "User unknown"});
            if (s.transaction.recipients >= limit) w.push_back({452, 5, 3, "Too many recipients"});
            w.push_back({250, 1, 5, "Ok"});
            w.push_back({555, 5, 4, "Unsupported parameter"});
            return w;
        }
        std::vector<Answer> operator()(const ast::Data&) const {
            return {{354, 0, 0, "End data with <CR><LF>.<CR><LF>"}};
        }
        std::vector<Answer> operator()(const ast::Rset&) const { return {{250, 0, 0, "Ok"}}; }
        std::vector<Answer> operator()(const ast::Vrfy& v) const {
            if (!p.vrfy) return {{252, 0, 0, "Cannot VRFY user, but will accept message"}};
            if (std::find(p.refused_local_parts.begin(), p.refused_local_parts.end(), v.value) !=
                p.refused_local_parts.end())
                return {{550, 1, 1, "User unknown"}};
            return {{252, 0, 0, "Cannot VRFY user, but will accept message"}};
        }
        std::vector<Answer> operator()(const ast::Expn&) const { return {{252, 0, 0, "Cannot expand list"}}; }
        std::vector<Answer> operator()(const ast::Help&) const { return {{214, 0, 0, "See RFC 5321"}}; }
        std::vector<Answer> operator()(const ast::Noop&) const { return {{250, 0, 0, "Ok"}}; }
        std::vector<Answer> operator()(const ast::Quit&) const { return {{221, 0, 0, "Bye"}}; }
        std::vector<Answer> operator()(const ast::StartTls&) const {
            if (offers_starttls(s, p)) return {{220, 0, 0, "Ready to start TLS"}};
            return {{502, 5, 1, "STARTTLS not available"}};
        }
        std::vector<Answer> operator()(const ast::Auth& a) const {
            std::string mech = upper(a.mechanism);
            std::vector<std::string> offered = offered_mechanisms(s, p);
            if (!s.tls && plaintext_mechanism(mech)) return {{538, 7, 11, "Encryption required"}};
            if (std::find(offered.begin(), offered.end(), mech) == offered.end() ||
                (mech != "PLAIN" && mech != "LOGIN"))
                return {{504, 5, 4, "Unrecognized authentication type"}};
            if (a.initial_response && *a.initial_response != "=" && !is_base64(*a.initial_response))
                return {{501, 5, 2, "Invalid base64"}};
            if (mech == "PLAIN") {
                if (!a.initial_response) return {{334, 0, 0, ""}};
                if (*a.initial_response != "=" && plain_ok(p, *a.initial_response))
                    return {{235, 7, 0, "Authentication successful"}};
                return {{535, 7, 8, "Authentication credentials invalid"}};
            }
            if (a.initial_response) return {{334, 0, 0, "UGFzc3dvcmQ6"}};
            return {{334, 0, 0, "VXNlcm5hbWU6"}};
        }
        std::vector<Answer> operator()(const ast::Bdat& b) const {
            return {{250, 0, 0, b.last ? "Ok: queued" : "Ok: chunk received"}};
        }
    };
    return std::visit(V{s, p}, cmd);
}

std::vector<Answer> wishes_for_unparsed(const UnparsedLine& u) {
    switch (u.error.kind) {
        case grammar::ErrorKind::limit: return {{500, 5, 6, "Line too long"}};
        case grammar::ErrorKind::encoding: return {{500, 6, 7, "Non-ASCII octets not allowed"}};
        case grammar::ErrorKind::syntax: break;
    }
    std::string_view raw = u.raw;
    std::size_t end = 0;
    while (end < raw.size() && raw[end] != ' ' && raw[end] != '\r' && raw[end] != '\n') ++end;
    std::string_view verb = raw.substr(0, end);
    for (std::size_t i = 0; i < verb_count; ++i) {
        Verb v = static_cast<Verb>(i);
        if (!iequals(verb, to_string(v))) continue;
        if (v == Verb::noop) return {{250, 0, 0, "Ok"}};
        return {{501, 5, 4, "Syntax error in parameters or arguments"}};
    }
    return {{500, 5, 2, "Command unrecognized"}};
}

std::vector<Answer> wishes_for_auth_line(const State& s, const AuthLine& a, const Policy& p) {
    if (a.text == "*") return {{501, 7, 0, "Authentication cancelled"}};
    if (!is_base64(a.text)) return {{501, 5, 2, "Invalid base64"}};
    const State::AuthExchange x = s.auth_exchange.value_or(State::AuthExchange{});
    if (x.mechanism == "PLAIN") {
        if (plain_ok(p, a.text)) return {{235, 7, 0, "Authentication successful"}};
        return {{535, 7, 8, "Authentication credentials invalid"}};
    }
    if (x.mechanism == "LOGIN") {
        if (x.step == 0) return {{334, 0, 0, "UGFzc3dvcmQ6"}};
        std::string password = detail::decode_base64(a.text).value_or("");
        if (valid_credentials(p, x.user, password)) return {{235, 7, 0, "Authentication successful"}};
        return {{535, 7, 8, "Authentication credentials invalid"}};
    }
    return {{535, 7, 8, "Authentication credentials invalid"}};
}

std::vector<Answer> wishes_for_text(const State& s, const MessageText& m, const Policy& p) {
    DataScan scan = s.data;
    end_of_data(scan, m.bytes);
    if (p.size_limit && scan.octets > *p.size_limit)
        return {{552, 3, 4, "Message size exceeds fixed maximum message size"}};
    return {{250, 0, 0, "Ok: queued"}};
}

ast::Reply build(const Answer& a, bool enhanced) {
    std::optional<ast::EnhancedCode> ec;
    if (enhanced && a.code / 100 != 3) ec = ast::EnhancedCode{a.code / 100, a.subject, a.detail};
    return make_reply(a.code, a.text, ec);
}

}  // namespace

Response respond(const State& s, const Input& in, const Policy& p) {
    Expectation e = expect(s, in);
    if (e.misuse || e.reply == ReplyKind::none) return Silence{};
    const std::string host = p.hostname.empty() ? "mx.example.org" : p.hostname;

    if (std::holds_alternative<ConnectionOpened>(in)) {
        if (p.refuse_session) return make_reply(554, host + " ESMTP service not available");
        return make_reply(220, host + " ESMTP smtpspec reference server");
    }
    std::vector<Answer> wishes;
    bool enhanced = p.enhanced_status_codes;
    if (const auto* c = std::get_if<CommandInput>(&in)) {
        if (std::holds_alternative<ast::Ehlo>(c->command) && e.allowed().contains(250)) return ehlo_reply(s, p);
        if (std::holds_alternative<ast::Helo>(c->command) && e.allowed().contains(250)) return make_reply(250, host);
        if (std::holds_alternative<ast::Ehlo>(c->command) || std::holds_alternative<ast::Helo>(c->command))
            enhanced = false;
        wishes = wishes_for_command(s, c->command, p);
    } else if (const auto* u = std::get_if<UnparsedLine>(&in)) {
        wishes = wishes_for_unparsed(*u);
    } else if (const auto* m = std::get_if<MessageText>(&in)) {
        wishes = wishes_for_text(s, *m, p);
    } else if (const auto* b = std::get_if<BdatChunk>(&in)) {
        wishes = wishes_for_command(s, ast::Command{b->command}, p);
    } else if (const auto* a = std::get_if<AuthLine>(&in)) {
        wishes = wishes_for_auth_line(s, *a, p);
    }
    const CodeSet allowed = e.allowed();
    for (const Answer& a : wishes)
        if (allowed.contains(a.code)) return build(a, enhanced);
    for (const Answer& a : fallbacks())
        if (allowed.contains(a.code)) return build(a, enhanced);
    // No answer keeps every rule: the least severe breaks only what the RFC leaves
    // to the server (info), then only SHOULDs.
    for (Level worst : {Level::info, Level::should}) {
        CodeSet required = CodeSet::all();
        for (std::uint8_t i = 0; i < e.count; ++i)
            if (static_cast<int>(rule(e.constraints[i].rule).level) < static_cast<int>(worst))
                required = required & e.constraints[i].codes;
        for (const Answer& a : wishes)
            if (required.contains(a.code)) return build(a, enhanced);
        for (const Answer& a : fallbacks())
            if (required.contains(a.code)) return build(a, enhanced);
    }
    return build(fallbacks().back(), enhanced);
}

}  // namespace smtpspec::model
