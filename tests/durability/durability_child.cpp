// The program the durability test kills: opens a runtime through the public C API alone
// (hearth/host.h), makes sure its one unit and tenancy exist, then ingests numbered batches
// of signals and reports each acknowledged batch on stdout.
//
//   hearth_durability_child CONFIG_DIR FIRST_BATCH END_BATCH BATCH_SIZE
//
// Batch b holds signals with source "durability" and external ids "b<b>-0" .. "b<b>-<n-1>".
// After hearth_runtime_ingest() returns HEARTH_OK for batch b the program writes
// "ACK <b> <accepted> <duplicates>" and flushes stdout; nothing else goes to stdout except
// a final "DONE". Errors go to stderr and end the program with status 2; bad arguments
// with status 64.
#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <hearth/host.h>

namespace {

// The source system every signal of the test names.
constexpr const char *kSource = "durability";
// The tenancy every signal belongs to (created by ensure_tenancy()).
constexpr const char *kTenancy = "t-durability-1";
// A fixed moment in the past (2023-11-14) plus the signal's index, so that reruns send
// byte-identical batches.
constexpr std::int64_t kOccurredBase = 1700000000000LL;

// The adapter on whose behalf the program ingests and stores records.
hearth_actor system_actor() {
  hearth_actor actor{};
  actor.struct_size = sizeof actor;
  actor.user = "adapter-durability";
  actor.role = HEARTH_ROLE_SYSTEM;
  actor.organisation = "corp:durability";
  actor.access_point = "test:durability-child";
  return actor;
}

// Reports `what` with the status name and the library's message, frees the message and
// returns the exit status for a failure.
int fail(const char *what, std::int32_t status, char *error) {
  std::fprintf(stderr, "durability child: %s: %s: %s\n", what, hearth_status_name(status),
               error != nullptr ? error : "");
  hearth_free(error);
  return 2;
}

// Parses a non-negative decimal number; false when `text` is not one.
bool parse_count(const char *text, std::uint32_t &out) {
  char *end = nullptr;
  errno = 0;
  const unsigned long value = std::strtoul(text, &end, 10);
  if (errno != 0 || end == text || *end != '\0' || value > 100000000UL) {
    return false;
  }
  out = static_cast<std::uint32_t>(value);
  return true;
}

// Stores the unit and tenancy the signals refer to. Inserting or updating by id makes
// this safe to repeat on every start.
std::int32_t ensure_tenancy(hearth_runtime *runtime, char **error) {
  const hearth_actor actor = system_actor();
  const char *records =
      "[{\"kind\":\"unit\",\"id\":\"u-durability-1\",\"street\":\"Teststraat\",\"house_number\":\"1\","
      "\"neighbourhood_code\":\"BU03630000\"},"
      "{\"kind\":\"tenancy\",\"id\":\"t-durability-1\",\"unit_id\":\"u-durability-1\","
      "\"start_date\":\"2020-01-01\"}]";
  return hearth_runtime_put_records(runtime, &actor, records, nullptr, error);
}

// Ingests batch `batch` of `size` signals; fills `result`.
std::int32_t ingest_batch(hearth_runtime *runtime, std::uint32_t batch, std::uint32_t size,
                          hearth_ingest_result &result, char **error) {
  std::vector<std::string> ids(size);
  std::vector<hearth_signal> signals(size);
  std::vector<const hearth_signal *> pointers(size);
  for (std::uint32_t i = 0; i < size; ++i) {
    ids[i] = "b" + std::to_string(batch) + "-" + std::to_string(i);
    hearth_signal &signal = signals[i];
    signal.struct_size = sizeof signal;
    signal.source = kSource;
    signal.external_id = ids[i].c_str();
    signal.type = "SCH";
    signal.detail = "BET";
    signal.tenancy_id = kTenancy;
    signal.occurred_at_ms = kOccurredBase + static_cast<std::int64_t>(batch) * size + i;
    signal.amount_cents = 12500;
    signal.severity = 3;
    signal.legal_basis = "avg-6-1-e";
    signal.purpose = "early-warning";
    pointers[i] = &signal;
  }
  const hearth_actor actor = system_actor();
  result = hearth_ingest_result{};
  result.struct_size = sizeof result;
  return hearth_runtime_ingest(runtime, &actor, pointers.data(), size, &result, error);
}

} // namespace

int main(int argc, char **argv) {
  std::uint32_t first = 0, end = 0, size = 0;
  if (argc != 5 || !parse_count(argv[2], first) || !parse_count(argv[3], end) ||
      !parse_count(argv[4], size) || size == 0) {
    std::fprintf(stderr, "usage: %s CONFIG_DIR FIRST_BATCH END_BATCH BATCH_SIZE\n", argv[0]);
    return 64;
  }

  hearth_runtime *runtime = nullptr;
  char *error = nullptr;
  std::int32_t status = hearth_runtime_open(argv[1], &runtime, &error);
  if (status != HEARTH_OK) {
    return fail("open", status, error);
  }
  status = ensure_tenancy(runtime, &error);
  if (status != HEARTH_OK) {
    const int code = fail("put_records", status, error);
    hearth_runtime_close(runtime);
    return code;
  }
  for (std::uint32_t batch = first; batch < end; ++batch) {
    hearth_ingest_result result{};
    status = ingest_batch(runtime, batch, size, result, &error);
    if (status != HEARTH_OK) {
      const int code = fail(("ingest batch " + std::to_string(batch)).c_str(), status, error);
      hearth_runtime_close(runtime);
      return code;
    }
    std::printf("ACK %" PRIu32 " %" PRIu32 " %" PRIu32 "\n", batch, result.accepted, result.duplicates);
    std::fflush(stdout);
  }
  hearth_runtime_close(runtime);
  std::printf("DONE\n");
  std::fflush(stdout);
  return 0;
}
