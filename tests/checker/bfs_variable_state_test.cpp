// breadth_first_search on a model whose states own heap memory and encode to
// different lengths, the empty string included: words over {a, b} of at most
// three letters, grown by appending a letter and shrunk by dropping the last.

#include "checker/bfs.hpp"

#include <doctest/doctest.h>

#include <cstring>
#include <string>
#include <vector>

namespace bindcheck::checker::test {
namespace {

struct WordModel {
    using State = std::string;
    enum class Step : std::uint32_t { append_a, append_b, drop_last };
    using Transition = char; // the letter appended or dropped

    static constexpr std::size_t max_length = 3;

    State initial() const { return {}; }

    template <class Sink>
    void for_each_successor(const State& word, Sink&& sink) const
    {
        if (word.size() < max_length) {
            sink(Step::append_a, word + 'a', 'a');
            sink(Step::append_b, word + 'b', 'b');
        }
        if (!word.empty())
            sink(Step::drop_last, word.substr(0, word.size() - 1), word.back());
    }

    void encode(const State& word, std::vector<std::byte>& out) const
    {
        for (char c : word)
            out.push_back(static_cast<std::byte>(c));
    }
    State decode(std::span<const std::byte> bytes) const
    {
        State word;
        for (std::byte b : bytes)
            word.push_back(static_cast<char>(b));
        return word;
    }
    std::uint32_t step_code(Step step) const { return static_cast<std::uint32_t>(step); }
    Step step_from_code(std::uint32_t code) const { return static_cast<Step>(code); }
};
static_assert(Model<WordModel>);

struct WordObserver {
    std::string wanted_state = "bab";
    std::uint64_t states = 0;

    FindingMask on_transition(const std::string& from, WordModel::Step step, const std::string& to, char letter)
    {
        // bit 1: dropping a 'b' from a three-letter word
        return step == WordModel::Step::drop_last && letter == 'b' && from.size() == 3 && to.size() == 2 ? 2 : 0;
    }
    FindingMask on_state(const std::string& word)
    {
        ++states;
        return word == wanted_state ? 1 : 0;
    }
    FindingMask on_terminal(const std::string&) { return 4; } // never: every word has a successor
    FindingMask stopping_findings() const { return 0; }
};
static_assert(Observer<WordObserver, WordModel>);

std::string replay(const std::vector<std::uint32_t>& steps)
{
    const WordModel model;
    std::string word = model.initial();
    for (std::uint32_t code : steps) {
        switch (model.step_from_code(code)) {
        case WordModel::Step::append_a: word += 'a'; break;
        case WordModel::Step::append_b: word += 'b'; break;
        case WordModel::Step::drop_last: word.pop_back(); break;
        }
    }
    return word;
}

TEST_CASE("bfs: variable-length states, the empty one included")
{
    const WordModel model;
    WordObserver observer;
    const auto result = breadth_first_search(model, observer, {});

    CHECK(result.outcome == Outcome::Exhausted);
    CHECK(result.stats.states == 15);      // 1 + 2 + 4 + 8 words
    CHECK(result.stats.transitions == 28); // 7 words * 2 appends + 14 words * 1 drop
    CHECK(result.stats.depth == 3);
    CHECK(observer.states == 15);
    REQUIRE(result.findings.size() == 2);
    CHECK(result.findings[0].bit == 0);
    CHECK(result.findings[0].steps == std::vector<std::uint32_t>{1, 0, 1});
    CHECK(replay(result.findings[0].steps) == "bab");
    // "aab" is the first three-letter word ending in b, then drop it.
    CHECK(result.findings[1].bit == 1);
    CHECK(result.findings[1].steps == std::vector<std::uint32_t>{0, 0, 1, 2});
    CHECK(replay(result.findings[1].steps) == "aa");
}

TEST_CASE("bfs: the initial state alone, when it is the finding")
{
    const WordModel model;
    WordObserver observer;
    observer.wanted_state = "";
    SearchOptions options;
    options.max_depth = 0;
    const auto result = breadth_first_search(model, observer, options);
    CHECK(result.outcome == Outcome::LimitReached);
    CHECK(result.limit == Limit::Depth);
    CHECK(result.depth_truncated);
    CHECK(result.stats.states == 1);
    REQUIRE(result.findings.size() == 1);
    CHECK(result.findings[0].steps.empty());
}

} // namespace
} // namespace bindcheck::checker::test
