#pragma once
// One piece of blocking work (an ssh check, a store write, a copy) on its own thread, with the
// answer delivered on the thread of a context object. Destroying the context first is safe: the
// work finishes on its own and its answer is dropped, so a dialog can be closed while its test
// still runs. Threads still running when the application object goes away are joined then.

#include <QObject>
#include <functional>
#include <memory>

namespace lb {

namespace detail {
// Runs `work` on a new thread; the function it returns runs on `context`'s thread unless
// `context` is gone by then.
void startBackground(QObject* context, std::function<std::function<void()>()> work);
} // namespace detail

// `work()` on a background thread, then `done(result)` on `context`'s thread. `work` must not
// touch `context` or widgets; exceptions it lets out are swallowed (catch them inside and return
// the message as part of the result).
template <typename T>
void runInBackground(QObject* context, std::function<T()> work, std::function<void(T)> done) {
    detail::startBackground(context, [work = std::move(work), done = std::move(done)]() mutable {
        auto result = std::make_shared<T>(work());
        return std::function<void()>([done, result] { done(std::move(*result)); });
    });
}

// How many background calls are running now (tests wait for zero).
int backgroundCallsRunning();

} // namespace lb
