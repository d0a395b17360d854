#pragma once
// A score.py endpoint: N Python worker processes (resources/python/labbench_serve_worker.py),
// each of which imports the entry script, calls init() once and then run(raw_data) per request,
// fed over pipes. A worker answers one request at a time; a request waits for a free one.
//
// A worker that dies (killed with -9, or crashed) is started again, and the request it was
// serving is retried once on the fresh worker, so no request gets another's answer or a wrong
// one. A run() that outlives the time limit gets its worker killed and restarted and a 504.

#include "core/serve/server/Scorer.h"

#include <QString>
#include <QStringList>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <stdexcept>
#include <sys/types.h>
#include <vector>

namespace lb::serve {

struct WorkerLaunch {
    QString python;          // the interpreter
    QString workerScript;    // labbench_serve_worker.py
    QString entryScript;     // the endpoint's copy of score.py (absolute)
    QString workingDir;      // the endpoint's source copy
    QStringList environment; // complete, AZUREML_MODEL_DIR included
    int logFd = -1;          // the workers' stdout and stderr
};

// init() raised, or the script would not load: the endpoint is Failed with this sentence.
class WorkerInitError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class ScoreWorkerPool : public Scorer {
public:
    ScoreWorkerPool(WorkerLaunch launch, int workers, std::chrono::milliseconds runTimeout,
                    std::chrono::milliseconds initTimeout);
    ~ScoreWorkerPool() override;

    // Starts every worker and waits for its init(); throws WorkerInitError with the reason.
    void start();

    ScoreReply score(const std::string& body, const std::string& contentType) override;
    std::string requestSchema() const override;
    std::string responseSchema() const override;

    // The workers' process ids now (0 for one that is down).
    std::vector<pid_t> pids() const;

private:
    struct Worker {
        pid_t pid = 0;
        int toWorker = -1;
        int fromWorker = -1;
        bool busy = false;
    };
    enum class CallOutcome { Answered, Died, TimedOut };

    void startWorker(Worker& w); // throws WorkerInitError
    void stopWorker(Worker& w);
    CallOutcome call(Worker& w, const std::string& body, ScoreReply& reply);
    Worker* acquire();
    void release(Worker* w);
    // Restarts workers that died between requests (killed, out of memory), so that the pool is
    // whole again without waiting for a request to land on the dead one.
    void watchWorkers();

    WorkerLaunch launch_;
    std::chrono::milliseconds runTimeout_, initTimeout_;
    mutable std::mutex mutex_;
    std::condition_variable freed_;
    std::vector<Worker> workers_;
    bool stopping_ = false; // under mutex_
    std::condition_variable stopWatching_;
    std::thread watcher_;
};

} // namespace lb::serve
