#pragma once
// The threads that the workbench's blocking actions (submit, cancel, reconcile) run on, one per
// action, owned here: each is deleted when it ends, and waitAll() (called by the owner's
// destructor, before the state the actions use goes away) waits for the rest.

#include <QObject>
#include <QThread>

#include <functional>
#include <vector>

namespace lb {

class ActionThreads : public QObject {
public:
    ActionThreads() = default;
    ~ActionThreads() override { waitAll(); }

    // Runs `work` on a new thread; signals it emits reach their receivers queued.
    void launch(std::function<void()> work);
    void waitAll();

private:
    std::vector<QThread*> threads_;
};

} // namespace lb
