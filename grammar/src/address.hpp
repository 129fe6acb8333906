// Rules of the address group (RFC 5321 §4.1.2, §4.1.3; RFC 6531 §3.3),
// declared here for the other rule groups (commands, replies) to use.
// Definitions: address_def.hpp; instantiation: address.cpp.
#pragma once

#include <string>

#include <span>

#include "detail/config.hpp"
#include "detail/lenient.hpp"
#include "smtpspec/grammar/ast.hpp"

namespace smtpspec::grammar::detail {

struct domain_class;
struct address_literal_class;
struct host_class;
struct local_part_class;
struct mailbox_class;
struct path_class;
struct reverse_path_class;
struct forward_path_class;
struct atom_class;
struct quoted_string_class;

using domain_type = x3::rule<domain_class, ast::Domain>;
using address_literal_type = x3::rule<address_literal_class, ast::AddressLiteral>;
using host_type = x3::rule<host_class, ast::Host>;
using local_part_type = x3::rule<local_part_class, ast::LocalPart>;
using mailbox_type = x3::rule<mailbox_class, ast::Mailbox>;
using path_type = x3::rule<path_class, ast::Path>;
using reverse_path_type = x3::rule<reverse_path_class, ast::ReversePath>;
using forward_path_type = x3::rule<forward_path_class, ast::ForwardPath>;
using atom_type = x3::rule<atom_class, std::string>;
// Quoted-string, its content decoded (quotes removed, quoted-pairs unescaped).
using quoted_string_type = x3::rule<quoted_string_class, std::string>;

BOOST_SPIRIT_DECLARE(domain_type, address_literal_type, host_type, local_part_type, mailbox_type,
                     path_type, reverse_path_type, forward_path_type, atom_type, quoted_string_type)

// Accessors: the rule objects, for use inside other groups' definitions.
domain_type const& domain();                    // "Domain"
address_literal_type const& address_literal();  // "address-literal"
host_type const& host();                        // "Domain / address-literal"
local_part_type const& local_part();            // "Local-part"
mailbox_type const& mailbox();                  // "Mailbox"
path_type const& path();                        // "Path"
reverse_path_type const& reverse_path();        // "Reverse-path"
// "<Postmaster@" Domain ">" / "<Postmaster>" / Forward-path   (RFC 5321 §4.1.1.3)
forward_path_type const& forward_path();        // "Forward-path"
atom_type const& atom();                        // "Atom"
quoted_string_type const& quoted_string();      // "Quoted-string"

// The lenient-mode repairs of address-level deviations (e.g. a trailing dot on a
// domain), for every parse function whose input contains addresses.
std::span<Repair const> address_repairs();

}  // namespace smtpspec::grammar::detail
