#pragma once
// A fixed set of threads that run one task together and wait for each
// other: the calling thread is worker 0, the others are started once and
// reused for every task. The first exception a worker throws is rethrown
// by run() once every worker is done.

#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace bindcheck::checker {

class WorkerPool {
public:
    explicit WorkerPool(unsigned workers)
    {
        for (unsigned w = 1; w < workers; ++w)
            threads_.emplace_back([this, w] { serve(w); });
    }
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;
    ~WorkerPool()
    {
        {
            const std::lock_guard lock(mutex_);
            closing_ = true;
        }
        start_.notify_all();
        for (std::thread& thread : threads_)
            thread.join();
    }

    [[nodiscard]] unsigned size() const noexcept { return static_cast<unsigned>(threads_.size()) + 1; }

    /// Runs task(w) on every worker w and returns when all are done.
    void run(const std::function<void(unsigned)>& task)
    {
        {
            const std::lock_guard lock(mutex_);
            task_ = &task;
            busy_ = static_cast<unsigned>(threads_.size());
            error_ = nullptr;
            ++generation_;
        }
        start_.notify_all();
        std::exception_ptr mine;
        try {
            task(0);
        } catch (...) {
            mine = std::current_exception();
        }
        std::unique_lock lock(mutex_);
        done_.wait(lock, [this] { return busy_ == 0; });
        task_ = nullptr;
        if (mine)
            std::rethrow_exception(mine);
        if (error_)
            std::rethrow_exception(error_);
    }

private:
    void serve(unsigned worker)
    {
        std::uint64_t seen = 0;
        for (;;) {
            const std::function<void(unsigned)>* task = nullptr;
            {
                std::unique_lock lock(mutex_);
                start_.wait(lock, [&] { return closing_ || generation_ != seen; });
                if (closing_)
                    return;
                seen = generation_;
                task = task_;
            }
            std::exception_ptr error;
            try {
                (*task)(worker);
            } catch (...) {
                error = std::current_exception();
            }
            {
                const std::lock_guard lock(mutex_);
                if (error && !error_)
                    error_ = error;
                --busy_;
            }
            done_.notify_one();
        }
    }

    std::vector<std::thread> threads_;
    std::mutex mutex_;
    std::condition_variable start_;
    std::condition_variable done_;
    const std::function<void(unsigned)>* task_ = nullptr;
    std::uint64_t generation_ = 0;
    unsigned busy_ = 0;
    bool closing_ = false;
    std::exception_ptr error_;
};

} // namespace bindcheck::checker
