// Slurm's answers: `scontrol show job -o` output and job-completion file text. The parsers
// return nullopt for what they do not understand and never throw.
#include "core/compute/slurm/SlurmState.h"
#include "tests/fuzz/FuzzInput.h"

namespace {
void use(const std::optional<lb::SlurmJobInfo>& info) {
    if (!info)
        return;
    (void)lb::mapSlurmState(info->state);
    (void)lb::mapSlurmJob(*info, false);
    (void)lb::mapSlurmJob(*info, true);
    (void)lb::slurmFailureReason(*info, QStringLiteral("42"));
    (void)lb::slurmPreemptionNote(*info, QStringLiteral("42_3"));
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const QByteArray text = lb::fuzz::bytes(data, size);
    use(lb::parseScontrolJob(text));
    use(lb::parseJobCompletion(text, QStringLiteral("42")));
    return 0;
}
