// hearth_early_warning_bench: the early-warning scorer against its peers, in one run.
//
//   full_rescore/*     every tenancy's score at one minute from all signals:
//                      engine (Scorer::rescore_scores), engine_with_flags (Scorer::rescore,
//                      the episode rule after every signal, what the plugin runs at start),
//                      plain_pass (a hand-written loop for the default rule set), and the
//                      same rule set as one SQL query (rule_sql.cpp) on SQLite and, when
//                      HEARTH_TEST_POSTGRES is set, on PostgreSQL, over the same signals;
//   incremental/*      one signal in, the tenancy's score and level updated (apply), the
//                      same in batches of 256 events (apply_batch), and the same from the
//                      event's JSON payload (parse + id look-up + apply); each checks that
//                      its scores equal a full rescore's (counter differ_from_full);
//   lookup/*           a tenancy's flag summary: FlagBoard::lookup() (the direct C++ call)
//                      and the typed fast path of hearth/early_warning.h through a real
//                      runtime with the plugin (policy cache, audit batches), per call;
//   memory             bytes per tenancy in the scorer (malloc'd, and as accounted).
//
// Environment: HEARTH_EW_BENCH_TENANCIES (default 2,000), HEARTH_EW_BENCH_SIGNALS_PER_TENANCY
// (default 20), HEARTH_EW_BENCH_LOOKUP_TENANCIES (default 2,000), HEARTH_BENCH_DIR (SQLite
// files, default /tmp), HEARTH_TEST_POSTGRES. At the end it prints the ratios
// docs/benchmarks.md reports, and checks that every peer computed the same scores.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <malloc.h>
#include <unistd.h>

#include <benchmark/benchmark.h>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <hearth/host.h>

#include "bench_data.hpp"
#include "engine/flag_board.hpp"
#include "engine/protected_attributes.hpp"
#include "engine/rule_loader.hpp"
#include "hearth/early_warning.h"
#include "plain_pass.hpp"
#include "rule_sql.hpp"
#include "storage/store.hpp"

namespace hearth::bench::early_warning {
namespace {

namespace ew = hearth::early_warning;

// Everything the benchmarks share, made once.
struct World {
  BenchData data;
  std::shared_ptr<const ew::RuleSet> rules;
  ew::PackedSignals packed;
  std::vector<std::string> ids;
  std::vector<std::string> payloads; // each signal's accepted-signal event payload
  std::int32_t at_minute = 0;
  std::filesystem::path scratch;
  std::unique_ptr<storage::Store> sqlite;
  std::unique_ptr<storage::Store> postgresql;
  std::string pg_schema;
};

World *g_world = nullptr;

std::filesystem::path source_dir() { return HEARTH_BENCH_SOURCE_DIR; }

// Creates the signal table on `store` and fills it with the world's signals: 100 rows per
// INSERT statement (700 parameters, well under both databases' limits), 10,000 rows per
// transaction, so that loading 20 M rows takes minutes rather than an hour of round trips.
void load_table(storage::Store &store, const World &world) {
  store.execute("CREATE TABLE ew_bench_signal (seq BIGINT PRIMARY KEY, tenancy_id TEXT NOT NULL, type TEXT NOT NULL,"
                " detail TEXT NOT NULL, occurred_at_ms BIGINT NOT NULL, amount_cents BIGINT NOT NULL,"
                " severity INTEGER NOT NULL)");
  constexpr std::size_t rows_per_statement = 100;
  constexpr std::size_t rows_per_transaction = 10'000;
  auto insert_sql = [](std::size_t rows) {
    std::string sql = "INSERT INTO ew_bench_signal (seq, tenancy_id, type, detail, occurred_at_ms, amount_cents,"
                      " severity) VALUES ";
    for (std::size_t row = 0; row < rows; ++row) {
      sql += row == 0 ? "(?, ?, ?, ?, ?, ?, ?)" : ", (?, ?, ?, ?, ?, ?, ?)";
    }
    return sql;
  };
  const std::size_t total = world.data.signals.size();
  std::vector<storage::Value> params;
  params.reserve(rows_per_statement * 7);
  for (std::size_t first = 0; first < total; first += rows_per_transaction) {
    store.transaction([&] {
      const std::size_t last = std::min(first + rows_per_transaction, total);
      std::unique_ptr<storage::PreparedStatement> full;
      for (std::size_t begin = first; begin < last; begin += rows_per_statement) {
        const std::size_t end = std::min(begin + rows_per_statement, last);
        params.clear();
        for (std::size_t i = begin; i < end; ++i) {
          const auto &s = world.data.signals[i];
          params.insert(params.end(), {static_cast<std::int64_t>(s.seq), world.ids[s.tenancy], std::string(s.type),
                                       std::string(s.detail), s.occurred_at_ms, s.amount_cents,
                                       static_cast<std::int64_t>(s.severity)});
        }
        if (end - begin == rows_per_statement) {
          if (!full) {
            full = store.prepare(insert_sql(rows_per_statement));
          }
          full->run(params);
        } else {
          store.prepare(insert_sql(end - begin))->run(params);
        }
      }
    });
  }
  store.execute("CREATE INDEX ew_bench_signal_tenancy ON ew_bench_signal (tenancy_id)");
  store.execute("ANALYZE");
}

World &make_world() {
  auto *world = new World;
  const std::size_t tenancies = env_size("HEARTH_EW_BENCH_TENANCIES", 2'000);
  const std::size_t per_tenancy = env_size("HEARTH_EW_BENCH_SIGNALS_PER_TENANCY", 20);
  world->data = generate_bench_data(tenancies, per_tenancy, 1);
  world->at_minute = ew::minute_of(world->data.as_of_ms);
  world->rules = std::make_shared<const ew::RuleSet>(ew::load_rule_set(
      source_dir() / "config/scoring/default.ini",
      ew::ProtectedAttributes::load(source_dir() / "config/scoring/protected-attributes.txt")));
  for (std::uint32_t t = 0; t < tenancies; ++t) {
    world->ids.push_back(tenancy_id(t));
  }
  world->packed.reserve(world->data.signals.size());
  for (const auto &s : world->data.signals) {
    world->packed.push(s.seq, s.tenancy, ew::minute_of(s.occurred_at_ms),
                       static_cast<std::int8_t>(world->rules->category_of(s.type, s.detail)), s.severity, s.amount_cents);
  }
  for (std::size_t i = 0; i < std::min<std::size_t>(world->data.signals.size(), 100'000); ++i) {
    const auto &s = world->data.signals[i];
    Poco::JSON::Object payload;
    payload.set("amount_cents", s.amount_cents);
    payload.set("data_class", "finance");
    payload.set("detail", s.detail);
    payload.set("external_id", "x-" + std::to_string(s.seq));
    payload.set("occurred_at_ms", s.occurred_at_ms);
    payload.set("seq", s.seq);
    payload.set("severity", s.severity);
    payload.set("source", "bench");
    payload.set("tenancy_id", world->ids[s.tenancy]);
    payload.set("type", s.type);
    std::ostringstream text;
    payload.stringify(text);
    world->payloads.push_back(text.str());
  }
  const char *dir = std::getenv("HEARTH_BENCH_DIR");
  world->scratch = std::filesystem::path(dir != nullptr ? dir : "/tmp") /
                   ("hearth-ew-bench-" + std::to_string(::getpid()));
  std::filesystem::create_directories(world->scratch);
  return *world;
}

// The SQLite store with the signals, made on first use.
storage::Store *sqlite_store(World &world) {
  if (!world.sqlite) {
    storage::StoreOptions sqlite;
    sqlite.backend = storage::Backend::sqlite;
    sqlite.target = (world.scratch / "signals.db").string();
    world.sqlite = storage::Store::open(sqlite);
    load_table(*world.sqlite, world);
  }
  return world.sqlite.get();
}

// The PostgreSQL store with the signals, made on first use; nullptr without a server.
storage::Store *postgresql_store(World &world) {
  const char *url = std::getenv("HEARTH_TEST_POSTGRES");
  if (url == nullptr || *url == '\0') {
    return nullptr;
  }
  if (!world.postgresql) {
    world.pg_schema = "hearth_ew_bench_" + std::to_string(::getpid());
    storage::StoreOptions admin;
    admin.backend = storage::Backend::postgresql;
    admin.target = url;
    admin.pool_size = 1;
    storage::Store::open(admin)->execute("CREATE SCHEMA " + world.pg_schema);
    storage::StoreOptions pg = admin;
    pg.target = std::string(url) + " options='-csearch_path=" + world.pg_schema + "'";
    world.postgresql = storage::Store::open(pg);
    load_table(*world.postgresql, world);
  }
  return world.postgresql.get();
}

void drop_world(World &world) {
  world.sqlite.reset();
  world.postgresql.reset();
  if (!world.pg_schema.empty()) {
    storage::StoreOptions admin;
    admin.backend = storage::Backend::postgresql;
    admin.target = std::getenv("HEARTH_TEST_POSTGRES");
    admin.pool_size = 1;
    storage::Store::open(admin)->execute("DROP SCHEMA " + world.pg_schema + " CASCADE");
  }
  std::error_code ignored;
  std::filesystem::remove_all(world.scratch, ignored);
}

// The scores each peer computed last, for the cross-check at the end.
std::map<std::string, std::vector<std::int64_t>> g_scores;

std::unique_ptr<ew::Scorer> new_scorer(const World &world) {
  auto scorer = std::make_unique<ew::Scorer>(world.rules);
  scorer->reserve(world.ids.size(), world.ids.size() * 16);
  for (const auto &id : world.ids) {
    scorer->add_tenancy(id, 0, true);
  }
  return scorer;
}

void full_rescore_engine(benchmark::State &state) {
  World &world = *g_world;
  auto scorer = new_scorer(world);
  for (auto _ : state) {
    scorer->rescore_scores(world.packed, world.at_minute);
    benchmark::DoNotOptimize(scorer->meta(0).score);
  }
  auto &scores = g_scores["engine"];
  scores.clear();
  for (std::uint32_t t = 0; t < scorer->tenancy_count(); ++t) {
    scores.push_back(scorer->meta(t).level == ew::Level::none ? 0 : scorer->meta(t).score);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(world.packed.size()));
}

void full_rescore_engine_with_flags(benchmark::State &state) {
  World &world = *g_world;
  auto scorer = new_scorer(world);
  std::size_t raises = 0;
  for (auto _ : state) {
    raises = scorer->rescore(world.packed).size();
    benchmark::DoNotOptimize(raises);
  }
  state.counters["raises"] = static_cast<double>(raises);
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(world.packed.size()));
}

void full_rescore_plain_pass(benchmark::State &state) {
  World &world = *g_world;
  PlainPass pass(*world.rules);
  const std::vector<std::int64_t> *scores = nullptr;
  for (auto _ : state) {
    scores = &pass.run(world.packed, world.ids.size(), world.at_minute);
    benchmark::DoNotOptimize(scores->data());
  }
  g_scores["plain_pass"] = *scores;
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(world.packed.size()));
}

void run_sql(benchmark::State &state, storage::Store *store, SqlDialect dialect, const char *name) {
  World &world = *g_world;
  if (store == nullptr) {
    state.SkipWithError("HEARTH_TEST_POSTGRES is not set");
    return;
  }
  const std::string sql = rule_set_sql(*world.rules, "ew_bench_signal", world.at_minute, dialect);
  std::vector<std::int64_t> scores(world.ids.size(), 0);
  for (auto _ : state) {
    std::fill(scores.begin(), scores.end(), 0);
    store->execute(sql, {}, [&](const storage::Row &row) {
      const auto &id = std::get<std::string>(row.values[0]);
      const auto index = static_cast<std::size_t>(std::stoul(id.substr(8)));
      scores[index] = std::holds_alternative<std::int64_t>(row.values[1])
                          ? std::get<std::int64_t>(row.values[1])
                          : static_cast<std::int64_t>(std::get<double>(row.values[1]));
      return true;
    });
  }
  g_scores[name] = scores;
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(world.packed.size()));
}

void full_rescore_sql_sqlite(benchmark::State &state) {
  run_sql(state, sqlite_store(*g_world), SqlDialect::sqlite, "sql_sqlite");
}
void full_rescore_sql_postgresql(benchmark::State &state) {
  run_sql(state, postgresql_store(*g_world), SqlDialect::postgresql, "sql_postgresql");
}

// Tenancies whose score or level after the incremental pass differs from a full rescore
// of the same signals (Scorer::rescore_scores at each tenancy's latest signal, what
// `hearth score --full` computes): 0 when the two agree bit for bit.
std::size_t differ_from_full(const World &world, const ew::Scorer &incremental) {
  auto full = new_scorer(world);
  full->rescore_scores(world.packed);
  std::size_t differ = 0;
  for (std::uint32_t t = 0; t < full->tenancy_count(); ++t) {
    differ += full->meta(t).score != incremental.meta(t).score || full->meta(t).level != incremental.meta(t).level ? 1 : 0;
  }
  return differ;
}

void incremental_apply(benchmark::State &state) {
  World &world = *g_world;
  auto scorer = new_scorer(world);
  const auto &p = world.packed;
  for (auto _ : state) {
    state.PauseTiming();
    scorer->clear_scores();
    state.ResumeTiming();
    for (std::size_t i = 0; i < p.size(); ++i) {
      benchmark::DoNotOptimize(scorer->apply(p.tenancy[i], p.category[i], p.minute[i], p.severity[i], p.amount_cents[i]));
    }
  }
  state.counters["differ_from_full"] = static_cast<double>(differ_from_full(world, *scorer));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(p.size()));
}

// The same signals in batches of 256 events (Scorer::apply_batch: each applied exactly as
// apply() does, the next slots fetched ahead), as the plugin gets them from the bus.
void incremental_apply_batch(benchmark::State &state) {
  World &world = *g_world;
  auto scorer = new_scorer(world);
  const auto &p = world.packed;
  constexpr std::size_t kBatch = 256;
  std::vector<ew::Raise> raises;
  for (auto _ : state) {
    state.PauseTiming();
    scorer->clear_scores();
    raises.clear();
    state.ResumeTiming();
    for (std::size_t begin = 0; begin < p.size(); begin += kBatch) {
      scorer->apply_batch(p, begin, std::min(p.size(), begin + kBatch), &raises);
    }
    benchmark::DoNotOptimize(raises.data());
  }
  state.counters["differ_from_full"] = static_cast<double>(differ_from_full(world, *scorer));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(p.size()));
}

void incremental_event_json(benchmark::State &state) {
  World &world = *g_world;
  auto scorer = new_scorer(world);
  for (auto _ : state) {
    state.PauseTiming();
    scorer->clear_scores();
    state.ResumeTiming();
    for (const auto &text : world.payloads) {
      const auto payload = Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
      const auto tenancy = scorer->find(payload->getValue<std::string>("tenancy_id"));
      const auto category = world.rules->category_of(payload->getValue<std::string>("type"),
                                                     payload->getValue<std::string>("detail"));
      benchmark::DoNotOptimize(scorer->apply(*tenancy, category,
                                             ew::minute_of(payload->getValue<std::int64_t>("occurred_at_ms")),
                                             payload->getValue<std::int32_t>("severity"),
                                             payload->getValue<std::int64_t>("amount_cents")));
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(world.payloads.size()));
}

// Per-call latencies of `call(id)` over a shuffled list of ids, as counters p50/p99 (ns),
// with the cost of reading the clock twice measured alongside and not subtracted.
template <class Call> void per_call(benchmark::State &state, const std::vector<std::string> &ids, Call &&call) {
  std::vector<std::int64_t> samples;
  samples.reserve(1 << 20);
  std::size_t next = 0;
  for (auto _ : state) {
    for (int i = 0; i < 1000; ++i) {
      const auto &id = ids[next];
      next = next + 1 == ids.size() ? 0 : next + 1;
      const auto t0 = std::chrono::steady_clock::now();
      call(id);
      const auto t1 = std::chrono::steady_clock::now();
      samples.push_back(std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count());
    }
  }
  std::sort(samples.begin(), samples.end());
  state.counters["p50_ns"] = static_cast<double>(samples[samples.size() / 2]);
  state.counters["p99_ns"] = static_cast<double>(samples[samples.size() * 99 / 100]);
  state.counters["max_ns"] = static_cast<double>(samples.back());
  std::vector<std::int64_t> clock;
  for (int i = 0; i < 100'000; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    const auto t1 = std::chrono::steady_clock::now();
    clock.push_back(std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count());
  }
  std::sort(clock.begin(), clock.end());
  state.counters["clock_pair_ns"] = static_cast<double>(clock[clock.size() / 2]);
  state.SetItemsProcessed(state.iterations() * 1000);
}

// The runtime with the plugin, the board the direct call reads, and the ids looked up.
struct LookupWorld {
  std::filesystem::path folder;
  hearth_runtime *runtime = nullptr;
  const hearth_ew_lookup_table *table = nullptr;
  std::unique_ptr<ew::FlagBoard> board;
  std::vector<std::string> ids;
  std::string error;
};
LookupWorld *g_lookup = nullptr;

std::int64_t bench_clock(void *user_data) { return *static_cast<std::int64_t *>(user_data); }

LookupWorld &make_lookup_world(const World &world) {
  auto *lw = new LookupWorld;
  static std::int64_t now_ms = world.data.as_of_ms;
  const std::size_t tenancies = std::min(env_size("HEARTH_EW_BENCH_LOOKUP_TENANCIES", 2'000), world.ids.size());
  lw->folder = world.scratch / "lookup";
  std::filesystem::create_directories(lw->folder / "plugins");
  std::filesystem::copy_file(std::filesystem::path(HEARTH_BENCH_PLUGIN_DIR) / "hearth_early_warning.so",
                             lw->folder / "plugins" / "hearth_early_warning.so");
  std::ofstream(lw->folder / "hearth.ini")
      << "[storage]\nbackend = sqlite\nsqlite_path = " << (lw->folder / "hearth.db").string() << "\n"
      << "[plugins]\nbundled = false\npath = " << (lw->folder / "plugins").string() << "\n"
      << "[log]\nlevel = warn\n[plugin.nl.hearth.early-warning]\nrule_set = "
      << (source_dir() / "config/scoring/default.ini").string() << "\nprotected_attributes = "
      << (source_dir() / "config/scoring/protected-attributes.txt").string() << "\n";
  char *error = nullptr;
  if (hearth_runtime_open(lw->folder.c_str(), &lw->runtime, &error) != HEARTH_OK) {
    lw->error = error != nullptr ? error : "open failed";
    hearth_free(error);
    return *lw;
  }
  hearth_runtime_set_clock(lw->runtime, &bench_clock, &now_ms);
  hearth_actor system{};
  system.struct_size = sizeof system;
  system.user = "adapter-bench";
  system.role = HEARTH_ROLE_SYSTEM;
  system.organisation = "corp:bench";
  system.access_point = "bench";
  for (std::size_t first = 0; first < tenancies; first += 1000) {
    std::string records = "[";
    for (std::size_t t = first; t < std::min(first + 1000, tenancies); ++t) {
      const std::string &id = world.ids[t];
      records += std::string(t == first ? "" : ",") + R"({"kind":"unit","id":"u-)" + id +
                 R"(","street":"Benchstraat","house_number":"1","neighbourhood_code":"BU00000001"},)" +
                 R"({"kind":"tenancy","id":")" + id + R"(","unit_id":"u-)" + id +
                 R"(","start_date":"2020-01-01","portfolio_owner":"consultant-1","tenant_user":"t-)" + id + R"("})";
    }
    records += "]";
    if (hearth_runtime_put_records(lw->runtime, &system, records.c_str(), nullptr, &error) != HEARTH_OK) {
      lw->error = error != nullptr ? error : "put_records failed";
      hearth_free(error);
      return *lw;
    }
  }
  // The same signals for those tenancies, stored through the runtime.
  std::vector<hearth_signal> signals;
  std::vector<std::string> external_ids;
  ew::PackedSignals packed;
  for (const auto &s : world.data.signals) {
    if (s.tenancy < tenancies) {
      external_ids.push_back("x-" + std::to_string(s.seq));
    }
  }
  std::size_t k = 0;
  for (const auto &s : world.data.signals) {
    if (s.tenancy >= tenancies) {
      continue;
    }
    hearth_signal signal{};
    signal.struct_size = sizeof signal;
    signal.source = "bench";
    signal.external_id = external_ids[k++].c_str();
    signal.type = s.type;
    signal.detail = s.detail;
    signal.tenancy_id = world.ids[s.tenancy].c_str();
    signal.occurred_at_ms = s.occurred_at_ms;
    const bool finance = std::string(s.type) == "SCH" || std::string(s.type) == "X-BTR";
    signal.amount_cents = finance ? s.amount_cents : 0;
    signal.severity = s.severity;
    signal.legal_basis = finance ? "avg-6-1-f" : "avg-6-1-e";
    signal.purpose = "early-warning";
    signals.push_back(signal);
    packed.push(signals.size(), s.tenancy, ew::minute_of(s.occurred_at_ms),
                static_cast<std::int8_t>(world.rules->category_of(s.type, s.detail)), s.severity, signal.amount_cents);
  }
  for (std::size_t first = 0; first < signals.size(); first += 5000) {
    std::vector<const hearth_signal *> batch;
    for (std::size_t i = first; i < std::min(first + 5000, signals.size()); ++i) {
      batch.push_back(&signals[i]);
    }
    if (hearth_runtime_ingest(lw->runtime, &system, batch.data(), static_cast<std::uint32_t>(batch.size()), nullptr,
                              &error) != HEARTH_OK) {
      lw->error = error != nullptr ? error : "ingest failed";
      hearth_free(error);
      return *lw;
    }
  }
  if (hearth_runtime_load_plugins(lw->runtime, nullptr) != HEARTH_OK) {
    lw->error = "load plugins failed";
    return *lw;
  }
  lw->table = static_cast<const hearth_ew_lookup_table *>(
      hearth_runtime_plugin_factory(lw->runtime, HEARTH_EW_PLUGIN_ID, HEARTH_EW_LOOKUP_FACTORY_ID));
  if (lw->table == nullptr) {
    lw->error = "the plugin is not active or offers no lookup table";
  }
  // The direct call's board: the same tenancies and signals, with a flag brief for each
  // raise, in this process.
  auto scorer = std::make_unique<ew::Scorer>(world.rules);
  for (std::size_t t = 0; t < tenancies; ++t) {
    scorer->add_tenancy(world.ids[t], 0, true);
  }
  const auto raises = scorer->rescore(packed);
  lw->board = std::make_unique<ew::FlagBoard>(std::move(scorer));
  for (const auto &raise : raises) {
    ew::FlagBrief brief;
    std::snprintf(brief.id, sizeof brief.id, "F%llu-000000000000", static_cast<unsigned long long>(raise.seq));
    brief.seq = raise.seq;
    brief.score = static_cast<std::int32_t>(raise.score);
    brief.level = raise.level;
    brief.status = ew::FlagStatus::proposed;
    lw->board->put_flag(raise.tenancy, brief);
  }
  lw->ids.assign(world.ids.begin(), world.ids.begin() + static_cast<std::ptrdiff_t>(tenancies));
  std::shuffle(lw->ids.begin(), lw->ids.end(), std::mt19937_64(7));
  return *lw;
}

LookupWorld &lookup_world() {
  if (g_lookup == nullptr) {
    g_lookup = &make_lookup_world(*g_world);
  }
  return *g_lookup;
}

void lookup_direct(benchmark::State &state) {
  LookupWorld &lw = lookup_world();
  ew::LookupResult result;
  per_call(state, lw.ids, [&](const std::string &id) { benchmark::DoNotOptimize(lw.board->lookup(id, result)); });
}

// A consultant's reader of the typed lookup that has already looked every tenancy up once
// (so the policy decision per tenancy, taken once per reader, is out of the measurement).
hearth_ew_reader *warm_reader(const LookupWorld &lw, hearth_ew_flag_summary &summary) {
  hearth_actor consultant{};
  consultant.struct_size = sizeof consultant;
  consultant.user = "consultant-1";
  consultant.role = HEARTH_ROLE_HOUSING_CONSULTANT;
  consultant.organisation = "corp:bench";
  consultant.access_point = "bench";
  hearth_ew_reader *reader = nullptr;
  lw.table->open_reader(&consultant, &reader, nullptr);
  summary = hearth_ew_flag_summary{};
  summary.struct_size = sizeof summary;
  for (const auto &id : lw.ids) {
    lw.table->lookup(reader, id.c_str(), &summary);
  }
  return reader;
}

void lookup_fast_path(benchmark::State &state) {
  LookupWorld &lw = lookup_world();
  if (lw.table == nullptr) {
    state.SkipWithError(lw.error.c_str());
    return;
  }
  hearth_ew_flag_summary summary{};
  hearth_ew_reader *reader = warm_reader(lw, summary);
  per_call(state, lw.ids,
           [&](const std::string &id) { benchmark::DoNotOptimize(lw.table->lookup(reader, id.c_str(), &summary)); });
  lw.table->close_reader(reader);
}

// Mean cost without per-call clocks, audit batches included.
void lookup_direct_mean(benchmark::State &state) {
  LookupWorld &lw = lookup_world();
  ew::LookupResult result;
  std::size_t next = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(lw.board->lookup(lw.ids[next], result));
    next = next + 1 == lw.ids.size() ? 0 : next + 1;
  }
  state.SetItemsProcessed(state.iterations());
}

void lookup_fast_path_mean(benchmark::State &state) {
  LookupWorld &lw = lookup_world();
  if (lw.table == nullptr) {
    state.SkipWithError(lw.error.c_str());
    return;
  }
  hearth_ew_flag_summary summary{};
  hearth_ew_reader *reader = warm_reader(lw, summary);
  std::size_t next = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(lw.table->lookup(reader, lw.ids[next].c_str(), &summary));
    next = next + 1 == lw.ids.size() ? 0 : next + 1;
  }
  lw.table->close_reader(reader);
  state.SetItemsProcessed(state.iterations());
}

void memory_per_tenancy(benchmark::State &state) {
  World &world = *g_world;
  double malloced = 0, accounted = 0;
  for (auto _ : state) {
    malloc_trim(0);
    const auto before = mallinfo2().uordblks;
    auto scorer = new_scorer(world);
    scorer->rescore_scores(world.packed, world.at_minute);
    const auto after = mallinfo2().uordblks;
    malloced = static_cast<double>(after - before) / static_cast<double>(world.ids.size());
    accounted = static_cast<double>(scorer->memory_bytes()) / static_cast<double>(world.ids.size());
  }
  state.counters["bytes_per_tenancy_malloc"] = malloced;
  state.counters["bytes_per_tenancy_accounted"] = accounted;
}

// Remembers each run's real time per iteration and the lookup counters (the median when
// repeated), and prints the ratios at the end.
class RatioTable : public benchmark::ConsoleReporter {
public:
  void ReportRuns(const std::vector<Run> &runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const auto &run : runs) {
      // With --benchmark_repetitions the median stands for the runs; other aggregates
      // (mean, stddev) are not kept.
      const bool median = run.run_type == Run::RT_Aggregate && run.aggregate_name == "median";
      if (run.error_occurred || (run.run_type == Run::RT_Aggregate && !median)) {
        continue;
      }
      const std::string name = run.run_name.function_name;
      seconds_[name] = run.GetAdjustedRealTime() * 1e-9;
      for (const auto &[counter, value] : run.counters) {
        counters_[name + ":" + counter] = value.value;
      }
    }
  }
  void Finalize() override {
    ConsoleReporter::Finalize();
    auto ratio = [&](const char *a, const char *b) {
      if (seconds_.count(a) == 0 || seconds_.count(b) == 0) {
        std::printf("  %-52s (not run)\n", (std::string(a) + " / " + b).c_str());
        return;
      }
      std::printf("  %-52s %8.2f\n", (std::string(a) + " / " + b).c_str(), seconds_[a] / seconds_[b]);
    };
    std::printf("\nRatios of time per full pass (lower first = faster):\n");
    ratio("full_rescore/engine", "full_rescore/plain_pass");
    ratio("full_rescore/engine_with_flags", "full_rescore/plain_pass");
    ratio("full_rescore/sql_sqlite", "full_rescore/engine");
    ratio("full_rescore/sql_postgresql", "full_rescore/engine");
    auto counter_ratio = [&](const char *counter) {
      const std::string a = std::string("lookup/fast_path:") + counter, b = std::string("lookup/direct:") + counter;
      if (counters_.count(a) != 0 && counters_.count(b) != 0) {
        std::printf("  lookup %-45s %8.2f  (%.0f ns / %.0f ns)\n", (std::string(counter) + " fast_path / direct").c_str(),
                    counters_[a] / counters_[b], counters_[a], counters_[b]);
      }
    };
    counter_ratio("p50_ns");
    counter_ratio("p99_ns");
    ratio("lookup/fast_path_mean", "lookup/direct_mean");
    std::printf("\nSame scores as the engine (tenancies that differ):\n");
    const auto &engine = g_scores["engine"];
    for (const auto &[name, scores] : g_scores) {
      if (name == "engine") {
        continue;
      }
      std::size_t differ = 0;
      for (std::size_t t = 0; t < scores.size() && t < engine.size(); ++t) {
        differ += scores[t] != engine[t] ? 1 : 0;
      }
      std::printf("  %-20s %zu of %zu\n", name.c_str(), differ, scores.size());
    }
  }

private:
  std::map<std::string, double> seconds_;
  std::map<std::string, double> counters_;
};

} // namespace
} // namespace hearth::bench::early_warning

int main(int argc, char **argv) {
  using namespace hearth::bench::early_warning;
  benchmark::Initialize(&argc, argv);
  World &world = make_world();
  g_world = &world;
  std::printf("%zu tenancies, %zu signals; the lookup runtime holds the first %zu tenancies\n", world.ids.size(),
              world.packed.size(), std::min(env_size("HEARTH_EW_BENCH_LOOKUP_TENANCIES", 2'000), world.ids.size()));
  benchmark::RegisterBenchmark("full_rescore/engine", full_rescore_engine)->Unit(benchmark::kMillisecond)->UseRealTime();
  benchmark::RegisterBenchmark("full_rescore/engine_with_flags", full_rescore_engine_with_flags)
      ->Unit(benchmark::kMillisecond)
      ->UseRealTime();
  benchmark::RegisterBenchmark("full_rescore/plain_pass", full_rescore_plain_pass)->Unit(benchmark::kMillisecond)->UseRealTime();
  // Each SQL pass over 20 M rows takes minutes: HEARTH_EW_BENCH_SQL_ITERATIONS=1 for that scale.
  const auto sql_iterations = static_cast<benchmark::IterationCount>(env_size("HEARTH_EW_BENCH_SQL_ITERATIONS", 3));
  benchmark::RegisterBenchmark("full_rescore/sql_sqlite", full_rescore_sql_sqlite)
      ->Unit(benchmark::kMillisecond)
      ->UseRealTime()
      ->Iterations(sql_iterations);
  benchmark::RegisterBenchmark("full_rescore/sql_postgresql", full_rescore_sql_postgresql)
      ->Unit(benchmark::kMillisecond)
      ->UseRealTime()
      ->Iterations(sql_iterations);
  benchmark::RegisterBenchmark("incremental/apply", incremental_apply)->Unit(benchmark::kMillisecond)->UseRealTime();
  benchmark::RegisterBenchmark("incremental/apply_batch", incremental_apply_batch)
      ->Unit(benchmark::kMillisecond)
      ->UseRealTime();
  benchmark::RegisterBenchmark("incremental/event_json", incremental_event_json)->Unit(benchmark::kMillisecond)->UseRealTime();
  benchmark::RegisterBenchmark("lookup/direct", lookup_direct)->UseRealTime();
  benchmark::RegisterBenchmark("lookup/fast_path", lookup_fast_path)->UseRealTime();
  benchmark::RegisterBenchmark("lookup/direct_mean", lookup_direct_mean)->UseRealTime();
  benchmark::RegisterBenchmark("lookup/fast_path_mean", lookup_fast_path_mean)->UseRealTime();
  benchmark::RegisterBenchmark("memory/per_tenancy", memory_per_tenancy)->Iterations(1);
  RatioTable reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  if (g_lookup != nullptr && g_lookup->runtime != nullptr) {
    hearth_runtime_close(g_lookup->runtime);
  }
  drop_world(world);
  return 0;
}
