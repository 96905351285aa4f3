#include "model/program.hpp"

#include <cassert>
#include <stdexcept>

namespace bindcheck::model {

bool is_shared(Op op) { return op <= Op::SetComponentBound; }

ProgramBuilder::Label ProgramBuilder::label() {
    label_positions_.push_back(-1);
    return static_cast<Label>(label_positions_.size() - 1);
}

void ProgramBuilder::place(Label label) {
    label_positions_.at(static_cast<std::size_t>(label)) = static_cast<int>(program_.code.size());
}

Instruction& ProgramBuilder::emit(Op op) {
    Instruction& i = program_.code.emplace_back();
    i.op = op;
    return i;
}

Instruction& ProgramBuilder::emit_jump(Op op, Label target) {
    fixups_.emplace_back(program_.code.size(), target);
    return emit(op);
}

void ProgramBuilder::finish() {
    for (auto [at, label] : fixups_) {
        int position = label_positions_.at(static_cast<std::size_t>(label));
        if (position < 0) throw std::logic_error("program " + program_.name + ": label never placed");
        program_.code[at].target = static_cast<std::uint16_t>(position);
    }
    fixups_.clear();
}

} // namespace bindcheck::model
