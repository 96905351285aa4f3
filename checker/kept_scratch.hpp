#pragma once
// Scratch space kept per thread from one call to the next, so that a
// function called for every state copies into storage that has grown
// already. A call that comes back in while the kept space is in use (a
// sink that explores again) gets fresh space for itself instead.
//
//     thread_local Space kept;
//     thread_local bool kept_busy = false;
//     KeptScratch<Space> scratch(kept, kept_busy);
//
// The thread_locals of a function template exist once per instantiation,
// so only a call that re-enters its own instantiation takes fresh space.

#include <optional>

namespace bindcheck::checker {

template <class Space>
class KeptScratch {
public:
    KeptScratch(Space& kept, bool& busy) : busy_(busy), owner_(!busy), space_(owner_ ? &kept : &fresh_.emplace())
    {
        busy = true;
    }
    ~KeptScratch()
    {
        if (owner_)
            busy_ = false;
    }
    KeptScratch(const KeptScratch&) = delete;
    KeptScratch& operator=(const KeptScratch&) = delete;

    [[nodiscard]] Space& space() noexcept { return *space_; }

private:
    bool& busy_;
    bool owner_;
    std::optional<Space> fresh_; // built only for a call that re-enters
    Space* space_;
};

} // namespace bindcheck::checker
