#include "checker/statistics.hpp"

#include <sys/resource.h>

#include <fstream>
#include <string>

namespace bindcheck::checker {

std::uint64_t peak_resident_bytes()
{
    rusage usage{};
    if (getrusage(RUSAGE_SELF, &usage) == 0 && usage.ru_maxrss > 0)
        return static_cast<std::uint64_t>(usage.ru_maxrss) * 1024; // Linux reports KiB

    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);) {
        if (line.rfind("VmHWM:", 0) == 0)
            return std::stoull(line.substr(6)) * 1024; // "VmHWM:   1234 kB"
    }
    return 0;
}

} // namespace bindcheck::checker
