#include "report_sections.hpp"

#include <charconv>

namespace smtpspec::conformance {
namespace {

// "4.1.10" -> 4, 1, 10; a part that is not a number compares as text after the numbers.
struct Part {
    bool number = false;
    unsigned long value = 0;
    std::string_view text;
    bool operator<(const Part& o) const {
        if (number != o.number) return number;
        return number ? value < o.value : text < o.text;
    }
};

std::vector<Part> parts(std::string_view section) {
    std::vector<Part> out;
    std::size_t start = 0;
    while (start <= section.size()) {
        std::size_t end = section.find('.', start);
        if (end == std::string_view::npos) end = section.size();
        Part p;
        p.text = section.substr(start, end - start);
        auto const [ptr, ec] = std::from_chars(p.text.data(), p.text.data() + p.text.size(), p.value);
        p.number = !p.text.empty() && ec == std::errc{} && ptr == p.text.data() + p.text.size();
        out.push_back(p);
        start = end + 1;
    }
    return out;
}

}  // namespace

bool section_before(const Section& a, const Section& b) {
    if (a.rfc != b.rfc) return a.rfc < b.rfc;
    auto const pa = parts(a.section), pb = parts(b.section);
    return std::lexicographical_compare(pa.begin(), pa.end(), pb.begin(), pb.end());
}

std::vector<SectionGroup> group_by_section(std::span<const CheckResult> results) {
    std::vector<SectionGroup> out;
    auto const id_of = [](const CheckResult& r) { return r.check ? r.check->id : std::string_view(); };
    for (auto& g : group_by_section(results, id_of)) out.push_back({std::move(g.section), std::move(g.items)});
    return out;
}

}  // namespace smtpspec::conformance
