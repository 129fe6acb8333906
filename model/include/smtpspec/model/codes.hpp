// A set of SMTP reply codes (200..599), as a constexpr bit set, so that the
// allowed replies of the transition table are plain data.
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>
#include <string>

namespace smtpspec::model {

class CodeSet {
public:
    static constexpr unsigned first = 200;
    static constexpr unsigned last = 599;

    constexpr CodeSet() = default;
    constexpr CodeSet(std::initializer_list<unsigned> codes) {
        for (unsigned c : codes) insert(c);
    }
    // Every code whose first digit is `digit` (2..5): "4yz".
    static constexpr CodeSet cls(unsigned digit) {
        CodeSet s;
        for (unsigned c = digit * 100; c < digit * 100 + 100; ++c) s.insert(c);
        return s;
    }
    static constexpr CodeSet all() { return cls(2) | cls(3) | cls(4) | cls(5); }
    // Every 4yz and 5yz code.
    static constexpr CodeSet failures() { return cls(4) | cls(5); }

    constexpr void insert(unsigned code) {
        if (code < first || code > last) return;
        unsigned i = code - first;
        bits_[i / 64] |= std::uint64_t{1} << (i % 64);
    }
    constexpr bool contains(unsigned code) const {
        if (code < first || code > last) return false;
        unsigned i = code - first;
        return (bits_[i / 64] >> (i % 64)) & 1u;
    }
    constexpr bool empty() const {
        for (auto w : bits_)
            if (w) return false;
        return true;
    }
    friend constexpr CodeSet operator|(CodeSet a, const CodeSet& b) {
        for (std::size_t i = 0; i < a.bits_.size(); ++i) a.bits_[i] |= b.bits_[i];
        return a;
    }
    friend constexpr CodeSet operator&(CodeSet a, const CodeSet& b) {
        for (std::size_t i = 0; i < a.bits_.size(); ++i) a.bits_[i] &= b.bits_[i];
        return a;
    }
    friend constexpr CodeSet operator-(CodeSet a, const CodeSet& b) {
        for (std::size_t i = 0; i < a.bits_.size(); ++i) a.bits_[i] &= ~b.bits_[i];
        return a;
    }
    constexpr bool operator==(const CodeSet&) const = default;

    // "250, 251, 4yz": whole classes collapse to "Nyz".
    std::string to_string() const;

private:
    std::array<std::uint64_t, 7> bits_{};  // 448 bits >= 400 codes
};

}  // namespace smtpspec::model
