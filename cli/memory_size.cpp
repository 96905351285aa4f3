#include "cli/memory_size.hpp"

#include <cctype>
#include <cmath>
#include <fstream>
#include <string>

namespace bindcheck::cli {

std::optional<std::uint64_t> parse_memory_size(std::string_view text) {
    std::size_t at = 0;
    double value = 0;
    bool digits = false;
    while (at < text.size() && std::isdigit(static_cast<unsigned char>(text[at]))) {
        value = value * 10 + (text[at++] - '0');
        digits = true;
    }
    if (at < text.size() && text[at] == '.') {
        ++at;
        double scale = 0.1;
        while (at < text.size() && std::isdigit(static_cast<unsigned char>(text[at]))) {
            value += (text[at++] - '0') * scale;
            scale /= 10;
            digits = true;
        }
    }
    if (!digits) return std::nullopt;
    std::string suffix;
    for (; at < text.size(); ++at) suffix += static_cast<char>(std::toupper(static_cast<unsigned char>(text[at])));
    double unit = 1;
    if (!suffix.empty()) {
        const char letter = suffix[0];
        const std::string rest = suffix.substr(1);
        if (letter == 'B' && rest.empty()) unit = 1;
        else if (std::string("KMGT").find(letter) != std::string::npos && (rest.empty() || rest == "B" || rest == "IB"))
            unit = std::pow(1024.0, static_cast<double>(std::string("KMGT").find(letter) + 1));
        else
            return std::nullopt;
    }
    const double bytes = std::floor(value * unit);
    if (bytes < 1 || bytes >= 18446744073709551615.0) return std::nullopt;
    return static_cast<std::uint64_t>(bytes);
}

std::optional<std::uint64_t> default_memory_budget() {
    std::ifstream meminfo("/proc/meminfo");
    for (std::string line; std::getline(meminfo, line);) {
        if (line.rfind("MemAvailable:", 0) == 0) {
            try {
                return std::stoull(line.substr(13)) * 1024 / 5 * 4; // "MemAvailable:  1234 kB"
            } catch (const std::exception&) {
                return std::nullopt;
            }
        }
    }
    return std::nullopt;
}

} // namespace bindcheck::cli
