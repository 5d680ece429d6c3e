// The rows every benchmark writes: the same signal, made unique by its external id, so
// that the runtime's ingestion and the plain insert loops store identical data.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <hearth/host.h>

namespace hearth::bench {

// Signals per batch, and per transaction of the plain loops.
inline constexpr std::uint32_t kBatchSize = 10000;
// The one tenancy every row names (created by BenchDatabase).
inline constexpr const char *kTenancyId = "t-bench-1";
// The source system every row names.
inline constexpr const char *kSource = "bench";

// One batch of signals with external ids "e<first>" .. "e<first + count - 1>": the
// strings it points into live as long as the batch.
class SignalBatch {
public:
  // Builds `count` signals numbered from `first`.
  SignalBatch(std::uint64_t first, std::uint32_t count);
  SignalBatch(const SignalBatch &) = delete;
  SignalBatch &operator=(const SignalBatch &) = delete;

  // The borrowed pointers hearth_runtime_ingest() takes.
  const hearth_signal *const *pointers() const { return pointers_.data(); }
  // The signals themselves, for the plain loops.
  const std::vector<hearth_signal> &signals() const { return signals_; }
  // How many signals the batch holds.
  std::uint32_t size() const { return static_cast<std::uint32_t>(signals_.size()); }

private:
  std::vector<std::string> ids_;
  std::vector<hearth_signal> signals_;
  std::vector<const hearth_signal *> pointers_;
};

// The columns a plain loop writes for each signal, as the ingestor derives them.
inline constexpr const char *kDataClass = "finance";
// The INSERT the plain loops run, with SOCI's named placeholders.
inline constexpr const char *kPlainInsert =
    "INSERT INTO hearth_signal (source, external_id, type, detail, tenancy_id, occurred_at_ms,"
    " received_at_ms, amount_cents, severity, data_class, legal_basis, purpose, reporter_user)"
    " VALUES (:source, :external_id, :type, :detail, :tenancy_id, :occurred_at_ms, :received_at_ms,"
    " :amount_cents, :severity, :data_class, :legal_basis, :purpose, NULL)";

} // namespace hearth::bench
