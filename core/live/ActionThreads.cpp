#include "core/live/ActionThreads.h"

#include <algorithm>

namespace lb {

void ActionThreads::launch(std::function<void()> work) {
    QThread* thread = QThread::create(std::move(work));
    threads_.push_back(thread);
    connect(thread, &QThread::finished, this, [this, thread] {
        threads_.erase(std::remove(threads_.begin(), threads_.end(), thread), threads_.end());
        thread->deleteLater();
    });
    thread->start();
}

void ActionThreads::waitAll() {
    for (QThread* t : threads_) {
        t->wait();
        delete t;
    }
    threads_.clear();
}

} // namespace lb
