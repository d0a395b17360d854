#include "core/live/BackgroundCall.h"

#include <QCoreApplication>
#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

namespace lb {

namespace {

// Lives on the context's thread as its child; the worker posts the answer to it. Its
// destructor (run when the context is destroyed) cuts the worker off under the lock, and
// QObject's own destructor drops an answer already posted.
class Relay : public QObject {
public:
    struct Link {
        std::mutex mutex;
        Relay* relay = nullptr;
    };
    Relay(QObject* context, std::shared_ptr<Link> link)
        : QObject(context)
        , link_(std::move(link)) {
        link_->relay = this;
    }
    ~Relay() override {
        std::lock_guard<std::mutex> lock(link_->mutex);
        link_->relay = nullptr;
    }

private:
    std::shared_ptr<Link> link_;
};

// Threads are joined, never detached: finished ones when the next call starts, the rest when
// the application object is destroyed (so none outlives the Qt state it may use).
struct Threads {
    std::mutex mutex;
    std::vector<std::pair<std::thread, std::shared_ptr<std::atomic<bool>>>> list;
    std::atomic<int> running{0};

    void reapFinished() {
        std::vector<std::thread> done;
        {
            std::lock_guard<std::mutex> lock(mutex);
            for (auto it = list.begin(); it != list.end();) {
                if (*it->second) {
                    done.push_back(std::move(it->first));
                    it = list.erase(it);
                } else {
                    ++it;
                }
            }
        }
        for (std::thread& t : done)
            t.join();
    }
    void joinAll() {
        std::vector<std::thread> all;
        {
            std::lock_guard<std::mutex> lock(mutex);
            for (auto& entry : list)
                all.push_back(std::move(entry.first));
            list.clear();
        }
        for (std::thread& t : all)
            t.join();
    }
};

Threads& threads() {
    static Threads* t = [] {
        auto* created = new Threads; // never destroyed: joined by the post routine instead
        qAddPostRoutine([] { threads().joinAll(); });
        return created;
    }();
    return *t;
}

} // namespace

namespace detail {

void startBackground(QObject* context, std::function<std::function<void()>()> work) {
    Threads& pool = threads();
    pool.reapFinished();
    auto link = std::make_shared<Relay::Link>();
    new Relay(context, link);
    auto finished = std::make_shared<std::atomic<bool>>(false);
    ++pool.running;
    std::thread thread([work = std::move(work), link, finished, &pool]() mutable {
        std::function<void()> answer;
        try {
            answer = work();
        } catch (...) {
            // Documented: work reports its own errors; nothing may escape a thread.
        }
        {
            std::lock_guard<std::mutex> lock(link->mutex);
            if (link->relay && answer) {
                Relay* relay = link->relay;
                // The relay deletes itself after delivering: one answer per call.
                QMetaObject::invokeMethod(
                    relay,
                    [relay, answer = std::move(answer)] {
                        answer();
                        relay->deleteLater();
                    },
                    Qt::QueuedConnection);
            } else if (link->relay) {
                QMetaObject::invokeMethod(link->relay, &QObject::deleteLater, Qt::QueuedConnection);
            }
        }
        --pool.running;
        *finished = true;
    });
    std::lock_guard<std::mutex> lock(pool.mutex);
    pool.list.emplace_back(std::move(thread), finished);
}

} // namespace detail

int backgroundCallsRunning() {
    return threads().running.load();
}

} // namespace lb
