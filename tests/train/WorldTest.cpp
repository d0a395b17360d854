// Where a process stands in a data-parallel job, read from its launcher's environment
// (core/train/World.h): Open MPI, PMI and Slurm job steps, and a Slurm batch script, which sees
// its allocation's task count but is a single process.

#include "core/train/World.h"

#include <QtTest>
#include <algorithm>
#include <cstdlib>
#include <thread>

using lb::train::detectWorld;

namespace {
const char* const kVariables[] = {"OMPI_COMM_WORLD_RANK",
                                  "OMPI_COMM_WORLD_SIZE",
                                  "OMPI_COMM_WORLD_LOCAL_RANK",
                                  "OMPI_COMM_WORLD_LOCAL_SIZE",
                                  "PMI_RANK",
                                  "PMI_SIZE",
                                  "MPI_LOCALRANKID",
                                  "MPI_LOCALNRANKS",
                                  "SLURM_PROCID",
                                  "SLURM_NTASKS",
                                  "SLURM_LOCALID",
                                  "SLURM_NTASKS_PER_NODE",
                                  "SLURM_STEP_ID"};
void clearLaunchers() {
    for (const char* v : kVariables)
        ::unsetenv(v);
}
} // namespace

class WorldTest : public QObject {
    Q_OBJECT
private slots:
    void init() { clearLaunchers(); }
    void cleanup() { clearLaunchers(); }

    void aloneIsRankZeroOfOne() {
        const auto w = detectWorld();
        QCOMPARE(w.size, 1);
        QCOMPARE(w.rank, 0);
        QVERIFY(w.from.empty());
    }

    void openMpiRanks() {
        ::setenv("OMPI_COMM_WORLD_SIZE", "4", 1);
        ::setenv("OMPI_COMM_WORLD_RANK", "3", 1);
        ::setenv("OMPI_COMM_WORLD_LOCAL_RANK", "1", 1);
        ::setenv("OMPI_COMM_WORLD_LOCAL_SIZE", "2", 1);
        const auto w = detectWorld();
        QCOMPARE(w.size, 4);
        QCOMPARE(w.rank, 3);
        QCOMPARE(w.localRank, 1);
        QCOMPARE(w.localSize, 2);
        QCOMPARE(QString::fromStdString(w.from), QStringLiteral("OMPI_COMM_WORLD_SIZE"));
    }

    void slurmJobStepRanks() {
        ::setenv("SLURM_NTASKS", "4", 1);
        ::setenv("SLURM_PROCID", "2", 1);
        ::setenv("SLURM_LOCALID", "0", 1);
        ::setenv("SLURM_NTASKS_PER_NODE", "2", 1);
        ::setenv("SLURM_STEP_ID", "0", 1);
        const auto w = detectWorld();
        QCOMPARE(w.size, 4);
        QCOMPARE(w.rank, 2);
        QCOMPARE(w.localSize, 2);
    }

    // Measured on the cluster fixture: sbatch -N 2 --ntasks-per-node=2 gives the batch script
    // SLURM_NTASKS=4 and SLURM_PROCID=0 but no SLURM_STEP_ID; only srun's tasks have one.
    void slurmBatchScriptIsAlone() {
        ::setenv("SLURM_NTASKS", "4", 1);
        ::setenv("SLURM_PROCID", "0", 1);
        ::setenv("SLURM_NTASKS_PER_NODE", "2", 1);
        QCOMPARE(detectWorld().size, 1);
    }

    void garbageIsIgnored() {
        ::setenv("OMPI_COMM_WORLD_SIZE", "two", 1);
        ::setenv("PMI_SIZE", "-3", 1);
        QCOMPARE(detectWorld().size, 1);
    }

    // Ranks sharing a machine share its cores unless the launcher bound each to fewer.
    void threadsAreSharedAmongLocalRanks() {
        lb::train::World w;
        const int cores = lb::train::usableCores();
        QVERIFY(cores >= 1);
        QCOMPARE(lb::train::defaultThreads(w), cores);
        w.size = w.localSize = 2;
        const int machine = int(std::thread::hardware_concurrency());
        QCOMPARE(lb::train::defaultThreads(w), cores < machine ? cores : std::max(1, cores / 2));
    }
};

QTEST_GUILESS_MAIN(WorldTest)
#include "WorldTest.moc"
