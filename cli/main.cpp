#include <iostream>

#include "cli/app.hpp"

int main(int argc, char** argv) {
    std::ios::sync_with_stdio(false);
    std::vector<std::string> args(argv + 1, argv + argc);
    return bindcheck::cli::run(args, std::cout, std::cerr);
}
