#include "parse_verb.hpp"

#include <algorithm>
#include <iostream>
#include <iterator>
#include <memory>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "smtpspec/grammar/json.hpp"
#include "smtpspec/grammar/parse.hpp"

namespace smtpspec::cli {
namespace {

namespace g = smtpspec::grammar;
using json = nlohmann::ordered_json;

// What one entry point produced, with the value already as JSON text.
struct Outcome {
    bool ok = false;
    std::string value_json;
    std::vector<g::Deviation> deviations;
    g::ParseError error;
};

template <class T>
Outcome outcome(g::Result<T> const& r) {
    Outcome o;
    o.ok = r.ok();
    if (o.ok) {
        o.value_json = g::to_json(r.value());
        o.deviations = r.deviations();
    } else {
        o.error = r.error();
    }
    return o;
}

struct Kind {
    const char* name;
    Outcome (*parse)(std::string_view, g::Options);
};

// The one table of KINDs: name -> grammar entry point.
Kind const kinds[] = {
    {"command", [](std::string_view s, g::Options o) { return outcome(g::parse_command(s, o)); }},
    {"reply", [](std::string_view s, g::Options o) { return outcome(g::parse_reply(s, o)); }},
    {"greeting", [](std::string_view s, g::Options o) { return outcome(g::parse_greeting(s, o)); }},
    {"ehlo-reply", [](std::string_view s, g::Options o) { return outcome(g::parse_ehlo_reply(s, o)); }},
    {"enhanced-code", [](std::string_view s, g::Options o) { return outcome(g::parse_enhanced_code(s, o)); }},
    {"path", [](std::string_view s, g::Options o) { return outcome(g::parse_path(s, o)); }},
    {"reverse-path", [](std::string_view s, g::Options o) { return outcome(g::parse_reverse_path(s, o)); }},
    {"forward-path", [](std::string_view s, g::Options o) { return outcome(g::parse_forward_path(s, o)); }},
    {"mailbox", [](std::string_view s, g::Options o) { return outcome(g::parse_mailbox(s, o)); }},
    {"domain", [](std::string_view s, g::Options o) { return outcome(g::parse_domain(s, o)); }},
    {"address-literal", [](std::string_view s, g::Options o) { return outcome(g::parse_address_literal(s, o)); }},
    {"param", [](std::string_view s, g::Options o) { return outcome(g::parse_param(s, o)); }},
};

Kind const* find_kind(std::string_view name) {
    for (auto const& k : kinds)
        if (name == k.name) return &k;
    return nullptr;
}

std::string kind_list() {
    std::string out;
    for (auto const& k : kinds) {
        if (!out.empty()) out += ", ";
        out += k.name;
    }
    return out;
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// The input as one display line, cut to a window of about `width` columns
// around `offset` when it is longer; `caret` receives the caret's column.
std::string window(std::string_view input, std::size_t offset, std::size_t& caret) {
    constexpr std::size_t width = 76;
    constexpr std::size_t before = 40;
    std::vector<std::size_t> cols;
    std::string const display = show_bytes(input, &cols);
    offset = std::min(offset, input.size());
    if (display.size() <= width) {
        caret = cols[offset];
        return display;
    }
    std::size_t lo = offset;
    while (lo > 0 && cols[offset] - cols[lo - 1] <= before) --lo;
    std::size_t hi = offset;
    while (hi < input.size() && cols[hi + 1] - cols[lo] <= width) ++hi;
    std::string out = lo > 0 ? "..." : "";
    caret = out.size() + cols[offset] - cols[lo];
    out += display.substr(cols[lo], cols[hi] - cols[lo]);
    if (hi < input.size()) out += "...";
    return out;
}

bool is_scalar_array(json const& j) {
    return j.is_array() && std::none_of(j.begin(), j.end(), [](json const& e) { return e.is_structured(); });
}

// JSON indented by two spaces per level, as nlohmann's dump(2) writes it, except
// that an array of scalars (labels, octets, ehlo-params) stays on one line.
void pretty(json const& j, std::string& out, std::size_t depth) {
    auto const scalar = [](json const& v) { return v.dump(-1, ' ', false, json::error_handler_t::replace); };
    auto const indent = [&](std::size_t d) { out.append(2 * d, ' '); };
    if (j.is_object() && !j.empty()) {
        out += "{\n";
        std::size_t i = 0;
        for (auto const& [key, value] : j.items()) {
            indent(depth + 1);
            out += scalar(json(key)) + ": ";
            pretty(value, out, depth + 1);
            out += ++i < j.size() ? ",\n" : "\n";
        }
        indent(depth);
        out += "}";
    } else if (j.is_array() && !j.empty() && !is_scalar_array(j)) {
        out += "[\n";
        for (std::size_t i = 0; i < j.size(); ++i) {
            indent(depth + 1);
            pretty(j[i], out, depth + 1);
            out += i + 1 < j.size() ? ",\n" : "\n";
        }
        indent(depth);
        out += "]";
    } else if (j.is_array()) {
        out += "[";
        for (std::size_t i = 0; i < j.size(); ++i) out += (i ? ", " : "") + scalar(j[i]);
        out += "]";
    } else {
        out += j.is_object() ? "{}" : scalar(j);
    }
}

}  // namespace

std::vector<std::string> const& parse_kinds() {
    static std::vector<std::string> const names = [] {
        std::vector<std::string> v;
        for (auto const& k : kinds) v.emplace_back(k.name);
        return v;
    }();
    return names;
}

std::string decode_escapes(std::string_view text, std::optional<DecodeError>& error) {
    error.reset();
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '\\') {
            out += text[i];
            continue;
        }
        if (i + 1 == text.size()) {
            error = DecodeError{i, "TEXT ends in a lone backslash; write \\\\ for a backslash"};
            return {};
        }
        char const c = text[i + 1];
        switch (c) {
            case 'r': out += '\r'; ++i; continue;
            case 'n': out += '\n'; ++i; continue;
            case 't': out += '\t'; ++i; continue;
            case '\\': out += '\\'; ++i; continue;
            case 'x': {
                int const hi = i + 2 < text.size() ? hex_value(text[i + 2]) : -1;
                int const lo = i + 3 < text.size() ? hex_value(text[i + 3]) : -1;
                if (hi < 0 || lo < 0) {
                    error = DecodeError{i, "\\x in TEXT needs two hex digits, as in \\x0d"};
                    return {};
                }
                out += static_cast<char>(hi * 16 + lo);
                i += 3;
                continue;
            }
            default:
                error = DecodeError{i, std::string("unknown escape \\") + c +
                                           " in TEXT; use \\r \\n \\t \\\\ or \\xHH, or read the bytes from stdin with -"};
                return {};
        }
    }
    return out;
}

std::string show_bytes(std::string_view bytes, std::vector<std::size_t>* columns) {
    std::string out;
    if (columns) columns->clear();
    for (char const ch : bytes) {
        if (columns) columns->push_back(out.size());
        auto const c = static_cast<unsigned char>(ch);
        switch (c) {
            case '\r': out += "\\r"; continue;
            case '\n': out += "\\n"; continue;
            case '\t': out += "\\t"; continue;
            case '\\': out += "\\\\"; continue;
            default: break;
        }
        if (c >= 0x20 && c <= 0x7E) {
            out += ch;
        } else {
            static constexpr char digits[] = "0123456789abcdef";
            out += "\\x";
            out += digits[c >> 4];
            out += digits[c & 0xF];
        }
    }
    if (columns) columns->push_back(out.size());
    return out;
}

int run_parse(ParseArgs const& args, std::istream& in, std::ostream& out, std::ostream& err) {
    Kind const* kind = find_kind(args.kind);
    if (!kind) {
        err << "smtpspec parse: unknown KIND '" << args.kind << "'; use one of: " << kind_list() << "\n";
        return exit_usage;
    }
    std::string input;
    if (args.text == "-") {
        input.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    } else {
        std::optional<DecodeError> bad;
        input = decode_escapes(args.text, bad);
        if (bad) {
            err << "smtpspec parse: at position " << bad->position << " of TEXT: " << bad->message << "\n";
            return exit_usage;
        }
    }

    g::Options options;
    options.mode = args.lenient ? g::Mode::lenient : g::Mode::strict;
    options.smtputf8 = args.smtputf8;
    Outcome const o = kind->parse(input, options);

    if (o.ok) {
        json doc = json::parse(o.value_json);
        if (args.lenient) {
            json deviations = json::array();
            for (auto const& d : o.deviations) deviations.push_back(json::parse(g::to_json(d)));
            doc["deviations"] = std::move(deviations);
        }
        std::string text;
        pretty(doc, text, 0);
        out << text << "\n";
        return exit_ok;
    }

    std::size_t caret = 0;
    std::string const shown = window(input, o.error.offset, caret);
    err << "smtpspec parse " << kind->name << ": " << g::to_string(o.error.kind) << " error at offset "
        << o.error.offset << ", expected " << o.error.expected << "\n"
        << "  " << shown << "\n"
        << "  " << std::string(caret, ' ') << "^\n"
        << "  " << o.error.message << "\n";
    return exit_failure;
}

void add_parse_verb(CLI::App& app, int& exit_code) {
    auto args = std::make_shared<ParseArgs>();
    auto* sub = app.add_subcommand("parse", "Parse TEXT as one SMTP production and print its AST as JSON");
    sub->footer(
        "TEXT is taken literally, with \\r \\n \\t \\\\ \\xHH decoded; '-' reads the bytes from stdin as they are.\n"
        "Exit status: 0 parsed, 1 does not parse (error and caret on stderr), 2 usage error.\n"
        "The JSON fields are documented in docs/ast-json.md.");
    sub->add_option("KIND", args->kind, "What TEXT is: " + kind_list())->required()->type_name("");
    sub->add_flag("--lenient", args->lenient,
                  "Accept the common real-world deviations and list each one under \"deviations\"");
    sub->add_flag("--smtputf8", args->smtputf8, "Allow UTF-8 addresses, as in an SMTPUTF8 transaction (RFC 6531)");
    sub->add_option("TEXT", args->text, "The text to parse, or - for stdin")->required()->type_name("");
    sub->callback([args, &exit_code] { exit_code = run_parse(*args, std::cin, std::cout, std::cerr); });
}

}  // namespace smtpspec::cli
