#include "core/serve/server/ScoreWorkerPool.h"

#include "core/lifecycle/Spawn.h"
#include "core/serve/server/WorkerFrames.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <nlohmann/json.hpp>
#include <sys/wait.h>
#include <unistd.h>

namespace lb::serve {

using Clock = std::chrono::steady_clock;

namespace {

// A descriptor moved above the ones a child's dup2 targets (3, 4), close-on-exec.
int highFd(int fd) {
    const int moved = ::fcntl(fd, F_DUPFD_CLOEXEC, 10);
    ::close(fd);
    return moved;
}

void closeFd(int& fd) {
    if (fd >= 0) ::close(fd);
    fd = -1;
}

} // namespace

ScoreWorkerPool::ScoreWorkerPool(WorkerLaunch launch, int workers,
                                 std::chrono::milliseconds runTimeout,
                                 std::chrono::milliseconds initTimeout)
    : launch_(std::move(launch))
    , runTimeout_(runTimeout)
    , initTimeout_(initTimeout)
    , workers_(std::size_t(std::max(1, workers))) {}

ScoreWorkerPool::~ScoreWorkerPool() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    stopWatching_.notify_all();
    if (watcher_.joinable()) watcher_.join();
    for (Worker& w : workers_)
        closeFd(w.toWorker); // end of input: a worker between requests exits by itself
    for (Worker& w : workers_)
        stopWorker(w);
}

void ScoreWorkerPool::start() {
    for (Worker& w : workers_)
        startWorker(w);
    watcher_ = std::thread([this] { watchWorkers(); });
}

void ScoreWorkerPool::watchWorkers() {
    std::unique_lock lock(mutex_);
    while (!stopWatching_.wait_for(lock, std::chrono::milliseconds(250),
                                   [this] { return stopping_; })) {
        for (Worker& w : workers_) {
            // A busy worker belongs to its request, which finds out itself; a worker at pid 0
            // could not be started again, and the next request tries and says why.
            if (w.busy || w.pid <= 0 || ::waitpid(w.pid, nullptr, WNOHANG) != w.pid) continue;
            w.pid = 0;     // reaped: this pid may be another process's soon, never signal it
            w.busy = true; // the watcher's while it starts
            lock.unlock();
            closeFd(w.toWorker);
            closeFd(w.fromWorker);
            try {
                startWorker(w);
            } catch (const WorkerInitError&) {
                // Stays down (pid 0): the next request that takes it starts it and reports why.
            }
            lock.lock();
            w.busy = false;
            freed_.notify_one();
            if (stopping_) break;
        }
    }
}

void ScoreWorkerPool::startWorker(Worker& w) {
    int requests[2], answers[2];
    if (::pipe2(requests, O_CLOEXEC) != 0)
        throw WorkerInitError(std::string("Cannot create a pipe: ") + std::strerror(errno));
    if (::pipe2(answers, O_CLOEXEC) != 0) {
        ::close(requests[0]);
        ::close(requests[1]);
        throw WorkerInitError(std::string("Cannot create a pipe: ") + std::strerror(errno));
    }
    const int childIn = highFd(requests[0]), childOut = highFd(answers[1]);
    SpawnSpec spec;
    spec.program = launch_.python;
    spec.arguments = {QStringLiteral("-u"), launch_.workerScript, launch_.entryScript};
    spec.workingDirectory = launch_.workingDir;
    spec.environment = launch_.environment;
    spec.stdoutFd = launch_.logFd;
    spec.stderrFd = launch_.logFd;
    spec.inheritFds = {{childIn, 3}, {childOut, 4}};
    spec.closeOtherFds = true; // not the clients' sockets nor the listening one
    pid_t pid = -1;
    try {
        pid = spawnProcess(spec);
    } catch (const std::exception& e) {
        ::close(childIn);
        ::close(childOut);
        ::close(requests[1]);
        ::close(answers[0]);
        throw WorkerInitError(e.what());
    }
    ::close(childIn);
    ::close(childOut);
    {
        std::lock_guard lock(mutex_);
        w.pid = pid;
    }
    w.toWorker = requests[1];
    w.fromWorker = answers[0];
    std::string frame;
    const FrameResult r = readFrame(w.fromWorker, frame, Clock::now() + initTimeout_);
    if (r == FrameResult::Ok && frame == "R") return;
    stopWorker(w);
    if (r == FrameResult::TimedOut)
        throw WorkerInitError("init() did not finish within " +
                              std::to_string(initTimeout_.count() / 1000) + " s.");
    if (r == FrameResult::Ok && !frame.empty() && frame[0] == 'F')
        throw WorkerInitError(frame.substr(1));
    throw WorkerInitError("The score.py worker exited before init() finished; the endpoint's log "
                          "says why.");
}

void ScoreWorkerPool::stopWorker(Worker& w) {
    closeFd(w.toWorker);
    closeFd(w.fromWorker);
    pid_t pid;
    {
        std::lock_guard lock(mutex_);
        pid = w.pid;
        w.pid = 0;
    }
    if (pid <= 0) return;
    // A worker whose input ended leaves by itself; give it a moment, then make sure.
    for (int i = 0; i < 20; ++i) {
        if (::waitpid(pid, nullptr, WNOHANG) == pid) return;
        ::usleep(5000);
    }
    ::kill(pid, SIGKILL);
    while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
    }
}

ScoreWorkerPool::CallOutcome ScoreWorkerPool::call(Worker& w, const std::string& body,
                                                   ScoreReply& reply) {
    if (w.pid == 0 || !writeFrame(w.toWorker, body)) return CallOutcome::Died;
    std::string frame;
    switch (readFrame(w.fromWorker, frame, Clock::now() + runTimeout_)) {
    case FrameResult::TimedOut:
        return CallOutcome::TimedOut;
    case FrameResult::Closed:
        return CallOutcome::Died;
    case FrameResult::Ok:
        break;
    }
    if (!frame.empty() && frame[0] == 'O') {
        reply = {200, frame.substr(1)};
        return CallOutcome::Answered;
    }
    if (!frame.empty() && frame[0] == 'E') {
        reply = {500, errorBody(frame.substr(1) + " (the traceback is in the endpoint's log)")};
        return CallOutcome::Answered;
    }
    return CallOutcome::Died; // a frame the protocol does not have: the worker is broken
}

ScoreWorkerPool::Worker* ScoreWorkerPool::acquire() {
    std::unique_lock lock(mutex_);
    Worker* found = nullptr;
    freed_.wait_for(lock, runTimeout_, [&] {
        for (Worker& w : workers_)
            if (!w.busy) {
                found = &w;
                return true;
            }
        return false;
    });
    if (found) found->busy = true;
    return found;
}

void ScoreWorkerPool::release(Worker* w) {
    {
        std::lock_guard lock(mutex_);
        w->busy = false;
    }
    freed_.notify_one();
}

ScoreReply ScoreWorkerPool::score(const std::string& body, const std::string& contentType) {
    // Azure hands run() the body as it came; a body that says it is JSON is checked first, so a
    // client's typo gets a 400 naming the place instead of a traceback from json.loads.
    const bool saysJson = contentType.empty() || contentType.rfind("application/json", 0) == 0;
    if (saysJson) {
        bool outOfRange = false;
        const std::string problem = jsonBodyProblem(body, &outOfRange);
        if (!problem.empty())
            return {400, errorBody(problem + (outOfRange ? "; send a number a double can hold."
                                                         : "; send JSON, or another Content-Type "
                                                           "for raw text."))};
    }
    Worker* w = acquire();
    if (!w)
        return {503, errorBody("Every worker stayed busy for " +
                               std::to_string(runTimeout_.count() / 1000) +
                               " s; retry later, or deploy with more --workers.")};
    ScoreReply reply;
    for (int attempt = 0; attempt < 2; ++attempt) {
        try {
            if (w->pid == 0) startWorker(*w); // it died earlier and could not be started again then
        } catch (const WorkerInitError& e) {
            reply = {503,
                     errorBody(std::string("A worker could not be started again: ") + e.what())};
            break;
        }
        const CallOutcome outcome = call(*w, body, reply);
        if (outcome == CallOutcome::Answered) break;
        stopWorker(*w);
        if (outcome == CallOutcome::TimedOut) {
            reply = {504, errorBody("run() took longer than " +
                                    std::to_string(runTimeout_.count() / 1000) +
                                    " s; its worker was stopped and is started again.")};
            break;
        }
        // It died under this request (killed, or it crashed): a fresh worker tries once more.
        reply = {503, errorBody("The worker died twice while running this request; the "
                                "endpoint's log says why.")};
    }
    release(w);
    return reply;
}

std::string ScoreWorkerPool::requestSchema() const {
    return nlohmann::json{
        {"description", "Any body; score.py's run(raw_data) receives it as a str."}}
        .dump();
}

std::string ScoreWorkerPool::responseSchema() const {
    return nlohmann::json{{"description", "What run() returned, as JSON."}}.dump();
}

std::vector<pid_t> ScoreWorkerPool::pids() const {
    std::lock_guard lock(mutex_);
    std::vector<pid_t> out;
    for (const Worker& w : workers_)
        out.push_back(w.pid);
    return out;
}

} // namespace lb::serve
