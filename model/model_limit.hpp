#pragma once
// A run that goes beyond what the state encoding represents (more than 255
// nodes on one device list, more than 16 choice points in one step) stops
// with this error rather than exploring a truncated space in silence.

#include <stdexcept>

namespace bindcheck::model {

class ModelLimit : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

} // namespace bindcheck::model
