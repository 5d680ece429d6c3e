// Neighbours' reports: report.file (a neighbour files one in Hearth itself), report.mine,
// report.get (the neighbour; the consultant whose portfolio holds the tenancy),
// report.update (that consultant). Created by record_report() when a report arrives as a
// signal.
#include <algorithm>
#include <cctype>

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>

#include <hearth/data_service.h>
#include <hearth/signals.h>

#include "case_store.hpp"
#include "operations.hpp"
#include "reports.hpp"

namespace hearth::handoff {
namespace {

const std::string kNoSuchReport = "report_id: no report with this id";
const std::string kPurpose = "nuisance-handling";

constexpr const char *kReportColumns = "SELECT r.id, r.signal_seq, r.tenancy_id, r.reporter_user, r.status,"
                                       " r.received_ms, r.next_update_by_ms, r.closed_ms, s.external_id,"
                                       " t.category, t.description"
                                       " FROM ch_report r JOIN hearth_signal s ON s.seq = r.signal_seq"
                                       " LEFT JOIN ch_report_text t ON t.signal_seq = r.signal_seq";

// What the neighbour reads: their report's status only, and for a report they filed
// through report.file the category and text they wrote (the only readers are the
// reporter and the consultant whose portfolio holds the tenancy: the policy's neighbour
// and portfolio rules).
// The reference a neighbour is shown: the source system's id of their report (the number
// Signalen gave them), unless that id carries the tenancy's id — some exports build report
// ids from it — in which case a neutral, stable one: "ref-" and 12 hex digits of its SHA-256.
std::string neighbour_reference(const std::string &external_id, const std::string &tenancy_id) {
  if (tenancy_id.empty() || external_id.find(tenancy_id) == std::string::npos) {
    return external_id;
  }
  Poco::SHA2Engine digest(Poco::SHA2Engine::SHA_256);
  digest.update(external_id);
  return "ref-" + Poco::DigestEngine::digestToHex(digest.digest()).substr(0, 12);
}

Poco::JSON::Object::Ptr neighbour_view(const OperationContext &ctx, const Row &r) {
  const std::string status = r.text(4);
  auto out = json_object();
  out->set("report_id", r.text(0));
  out->set("your_reference", neighbour_reference(r.text(8), r.text(2)));
  out->set("status", status);
  out->set("message", ctx.config().rules.report_messages.at(status));
  out->set("received_on", format_day(day_of(r.integer(5))));
  if (status == "closed") {
    out->set("next_update_by", Poco::Dynamic::Var());
    out->set("closed_on", r.is_null(7) ? Poco::Dynamic::Var() : Poco::Dynamic::Var(format_day(day_of(r.integer(7)))));
  } else {
    out->set("next_update_by", format_day(day_of(r.integer(6))));
    out->set("closed_on", Poco::Dynamic::Var());
  }
  if (!r.is_null(10)) {
    out->set("category", r.text(9));
    out->set("description", r.text(10));
  }
  return out;
}

RecordFacts report_facts(const OperationContext &ctx, const Row &r) {
  RecordFacts facts;
  facts.tenancy_id = r.text(2);
  facts.reporter_user = r.text(3);
  if (const auto t = ctx.db().row("SELECT portfolio_owner, tenant_user FROM hearth_tenancy WHERE id = ?", {r.text(2)})) {
    facts.portfolio_owner = t->optional_text(0);
    facts.tenant_user = t->optional_text(1);
  }
  return facts;
}

std::string report_mine(OperationContext &ctx, const Args &) {
  auto list = json_array();
  ctx.transaction([&] {
    std::string objects;
    for (const auto &r : ctx.db().rows(std::string(kReportColumns) + " WHERE r.reporter_user = ? ORDER BY r.received_ms, r.id",
                                       {ctx.actor().user})) {
      if (!ctx.allowed(HEARTH_ACTION_READ, HEARTH_DATA_NUISANCE, report_facts(ctx, r))) {
        continue;
      }
      list->add(neighbour_view(ctx, r));
      objects += (objects.empty() ? "" : ",") + ("report:" + r.text(0));
    }
    ctx.audit(HEARTH_ACTION_READ, objects.empty() ? "report:none" : objects, kPurpose);
  });
  auto out = json_object();
  out->set("reports", list);
  return to_json(out);
}

std::string report_get(OperationContext &ctx, const Args &args) {
  const std::string id = args.id("report_id");
  Poco::JSON::Object::Ptr out;
  ctx.transaction([&] {
    const auto r = ctx.db().row(std::string(kReportColumns) + " WHERE r.id = ?", {id});
    if (!r) {
      throw Error(HEARTH_ERROR_NOT_FOUND, kNoSuchReport);
    }
    ctx.require(HEARTH_ACTION_READ, HEARTH_DATA_NUISANCE, report_facts(ctx, *r), "report:" + id, kNoSuchReport);
    out = neighbour_view(ctx, *r);
    ctx.audit(HEARTH_ACTION_READ, "report:" + id, kPurpose);
  });
  return to_json(out);
}

std::string report_update(OperationContext &ctx, const Args &args) {
  const std::string id = args.id("report_id");
  const std::string status = args.choice("status", {"being_handled", "closed"});
  const auto next = args.optional_day("next_update_by");
  if (next && *parse_day(*next) < day_of(ctx.now())) {
    invalid("next_update_by", *next + " lies in the past");
  }
  if (next && status == "closed") {
    invalid("next_update_by", "a closed report gets no further update");
  }
  Poco::JSON::Object::Ptr out;
  ctx.transaction([&] {
    const auto r = ctx.db().row(std::string(kReportColumns) + " WHERE r.id = ?", {id});
    if (!r) {
      throw Error(HEARTH_ERROR_NOT_FOUND, kNoSuchReport);
    }
    const std::string objects = "report:" + id + ",tenancy:" + r->text(2);
    ctx.require(HEARTH_ACTION_UPDATE, HEARTH_DATA_NUISANCE, report_facts(ctx, *r), objects, kNoSuchReport);
    const std::int64_t next_ms =
        next ? start_of(*parse_day(*next))
             : ctx.config().rules.calendar.add_working_days(ctx.now(), ctx.config().rules.report_update_every_working_days);
    if (status == "closed") {
      ctx.db().run("UPDATE ch_report SET status = 'closed', closed_ms = ?, updated_ms = ? WHERE id = ?",
                   {ctx.now(), ctx.now(), id});
    } else {
      ctx.db().run("UPDATE ch_report SET status = ?, next_update_by_ms = ?, closed_ms = NULL, updated_ms = ?"
                   " WHERE id = ?",
                   {status, next_ms, ctx.now(), id});
    }
    out = neighbour_view(ctx, *ctx.db().row(std::string(kReportColumns) + " WHERE r.id = ?", {id}));
    ctx.audit(HEARTH_ACTION_UPDATE, objects, kPurpose);
  });
  return to_json(out);
}


// report.file ------------------------------------------------------------------------

const std::string kFiledSource = "hearth:neighbour-report";
constexpr std::size_t kMaxDescription = 2000;
constexpr int kMaxAgeDays = 365;

// What a neighbour may report, as the signal type and detail it becomes (docs/data.md).
struct Category {
  const char *key, *type, *detail;
};
constexpr Category kCategories[] = {
    {"noise", "OVE", "GEL"},     {"nuisance", "OVE", ""}, {"pollution", "ONE", "VER"},
    {"drugs", "ONE", "DRU"},     {"aggression", "AGR", ""},
};

std::string sha256_hex(const std::string &text) {
  Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
  engine.update(text);
  return Poco::DigestEngine::digestToHex(engine.digest());
}

// "1091 ab" -> "1091AB"; refuses anything but a Dutch postcode.
std::string postcode_of(const Args &args) {
  std::string postcode;
  for (const unsigned char c : args.text("postcode", 10)) {
    if (!std::isspace(c)) postcode.push_back(static_cast<char>(std::toupper(c)));
  }
  const bool valid = postcode.size() == 6 && postcode[0] >= '1' && postcode[0] <= '9' &&
                     std::all_of(postcode.begin(), postcode.begin() + 4, [](unsigned char c) { return std::isdigit(c) != 0; }) &&
                     std::all_of(postcode.begin() + 4, postcode.end(), [](unsigned char c) { return c >= 'A' && c <= 'Z'; });
  if (!valid) {
    invalid("postcode", "is not a Dutch postcode (four digits and two letters, e.g. 1091 AB)");
  }
  return postcode;
}

// As the housing register writes it: a number from 1, optionally with a letter or an
// addition ("12", "12A", "12-1").
std::string house_number_of(const Args &args) {
  const std::string number = args.text("house_number", 10);
  const bool valid = number.front() >= '1' && number.front() <= '9' &&
                     std::all_of(number.begin(), number.end(), [](unsigned char c) { return std::isalnum(c) != 0 || c == '-'; });
  if (!valid) {
    invalid("house_number", "must be a number from 1, optionally with a letter or addition (12, 12A, 12-1)");
  }
  return number;
}

std::string entrance_of(const Args &args) {
  const auto entrance = args.optional_text("entrance", 10);
  if (!entrance) return "";
  if (!std::all_of(entrance->begin(), entrance->end(), [](unsigned char c) { return std::isalnum(c) != 0; })) {
    invalid("entrance", "may hold only letters and digits");
  }
  return *entrance;
}

// The neighbour's own words: 1..2000 bytes of text, not only spaces, no control
// characters but line breaks and tabs. Stored as written; whoever shows it escapes it.
std::string description_of(const Args &args) {
  const std::string text = args.text("description", kMaxDescription);
  if (std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isspace(c) != 0; })) {
    invalid("description", "missing: say what happened");
  }
  for (const unsigned char c : text) {
    if ((c < 0x20 && c != '\n' && c != '\r' && c != '\t') || c == 0x7f) {
      invalid("description", "contains control characters");
    }
  }
  return text;
}

// 8..64 of letters, digits, '-' and '_': chosen by the client, the same for a repeat.
std::string idempotency_key_of(const Args &args) {
  const std::string key = args.text("idempotency_key", 64);
  if (key.size() < 8 || !std::all_of(key.begin(), key.end(), [](unsigned char c) {
        return std::isalnum(c) != 0 || c == '-' || c == '_';
      })) {
    invalid("idempotency_key", "must be 8 to 64 letters, digits, '-' or '_'");
  }
  return key;
}

const hearth_data_extension &data_extension(const OperationContext &ctx) {
  const auto *c_host = ctx.host().c_host();
  const auto *data = static_cast<const hearth_data_extension *>(c_host->get_extension(c_host, HEARTH_DATA_EXTENSION_ID));
  if (data == nullptr) {
    throw Error(HEARTH_ERROR_UNSUPPORTED, "report.file needs the runtime's data extension");
  }
  return *data;
}

// The tenancy at an address today, looked up by the plugin's own actor (a neighbour may
// not search units) on behalf of the neighbour; nullopt when no home there is let.
std::optional<std::string> tenancy_at(const OperationContext &ctx, const hearth_data_extension &data,
                                      const std::string &postcode, const std::string &house_number,
                                      const std::string &entrance) {
  const Actor lookup = Actor::plugin("report.file", ctx.actor().user);
  const hearth_actor actor = lookup.view();
  auto args = json_object();
  args->set("postcode", postcode);
  args->set("house_number", house_number);
  args->set("entrance", entrance);
  const std::string args_json = to_json(args);
  char *result = nullptr;
  char *error = nullptr;
  const auto *c_host = ctx.host().c_host();
  const std::int32_t status = data.read(c_host, &actor, "unit.by-address", args_json.c_str(), &result, &error);
  const std::string body = result != nullptr ? result : "";
  const std::string message = error != nullptr ? error : "";
  c_host->free(result);
  c_host->free(error);
  if (status == HEARTH_ERROR_NOT_FOUND) {
    return std::nullopt;
  }
  if (status != HEARTH_OK) {
    throw Error(status, "unit.by-address: " + message);
  }
  const auto answer = parse_object(body);
  if (!answer->has("tenancy_id") || answer->isNull("tenancy_id")) {
    return std::nullopt;
  }
  return answer->getValue<std::string>("tenancy_id");
}

// Ingests the signal as the plugin's own actor on behalf of the neighbour, with the
// neighbour as its reporter. Outside any transaction (the data extension commits itself).
void ingest_report_signal(const OperationContext &ctx, const hearth_data_extension &data, const Category &category,
                          const std::string &external_id, const std::string &tenancy_id, std::int64_t occurred_ms) {
  const Actor system = Actor::plugin("report.file", ctx.actor().user);
  const hearth_actor actor = system.view();
  const std::string purpose = kPurpose;
  const std::string legal_basis = "avg-6-1-e";
  hearth_signal signal{};
  signal.struct_size = sizeof signal;
  signal.source = kFiledSource.c_str();
  signal.external_id = external_id.c_str();
  signal.type = category.type;
  signal.detail = category.detail;
  signal.tenancy_id = tenancy_id.c_str();
  signal.occurred_at_ms = occurred_ms;
  signal.legal_basis = legal_basis.c_str();
  signal.purpose = purpose.c_str();
  signal.reporter_user = ctx.actor().user.c_str();
  const hearth_signal *batch[] = {&signal};
  hearth_ingest_result result{};
  result.struct_size = sizeof result;
  char *error = nullptr;
  const auto *c_host = ctx.host().c_host();
  const std::int32_t status = data.ingest(c_host, &actor, batch, 1, &result, &error);
  const std::string message = error != nullptr ? error : "";
  c_host->free(error);
  if (status != HEARTH_OK) {
    throw Error(status == HEARTH_ERROR_INVALID_ARGUMENT ? HEARTH_ERROR_INTERNAL : status,
                "the report could not be stored as a signal: " + message);
  }
}

// The report of a signal filed earlier, or nullopt: (report row, request fingerprint).
std::optional<std::pair<Row, std::string>> filed_report(const OperationContext &ctx, const std::string &external_id) {
  const auto fingerprint = ctx.db().row("SELECT t.request_sha256 FROM hearth_signal s JOIN ch_report_text t"
                                        " ON t.signal_seq = s.seq WHERE s.source = ? AND s.external_id = ?",
                                        {kFiledSource, external_id});
  if (!fingerprint) return std::nullopt;
  const auto r = ctx.db().row(std::string(kReportColumns) + " WHERE s.source = ? AND s.external_id = ?",
                              {kFiledSource, external_id});
  if (!r) return std::nullopt;
  return std::make_pair(*r, fingerprint->text(0));
}

std::string report_file(OperationContext &ctx, const Args &args) {
  const std::string postcode = postcode_of(args);
  const std::string house_number = house_number_of(args);
  const std::string entrance = entrance_of(args);
  const std::string category_key = args.choice("category", {"noise", "nuisance", "pollution", "drugs", "aggression"});
  const Category &category = *std::find_if(std::begin(kCategories), std::end(kCategories),
                                           [&](const Category &c) { return category_key == c.key; });
  const std::string description = description_of(args);
  const std::string occurred_on = args.day("occurred_on");
  const Day day = *parse_day(occurred_on);
  if (day > day_of(ctx.now())) {
    invalid("occurred_on", occurred_on + " lies in the future");
  }
  if (day < day_of(ctx.now()) - std::chrono::days{kMaxAgeDays}) {
    invalid("occurred_on", occurred_on + " lies more than a year in the past");
  }
  const std::string key = idempotency_key_of(args);
  // One signal per neighbour and key; the fingerprint tells a repeat from a new request.
  const std::string external_id = "nbr-" + sha256_hex(ctx.actor().user + "\n" + key).substr(0, 32);
  const std::string fingerprint = sha256_hex(postcode + "\n" + house_number + "\n" + entrance + "\n" + category_key +
                                             "\n" + occurred_on + "\n" + description);
  auto answer_with = [&](const Row &r, bool repeated) {
    auto out = neighbour_view(ctx, r);
    out->set("repeated", repeated);
    return to_json(out);
  };
  auto repeat_of = [&](const std::pair<Row, std::string> &earlier) {
    if (earlier.second != fingerprint) {
      throw Error(HEARTH_ERROR_CONFLICT, "idempotency_key: was used before for a different report");
    }
    ctx.transaction([&] { ctx.audit(HEARTH_ACTION_READ, "report:" + earlier.first.text(0), kPurpose); });
    return answer_with(earlier.first, true);
  };
  if (const auto earlier = filed_report(ctx, external_id)) {
    return repeat_of(*earlier);
  }

  const hearth_data_extension &data = data_extension(ctx);
  const auto tenancy_id = tenancy_at(ctx, data, postcode, house_number, entrance);
  if (!tenancy_id) {
    invalid("postcode", "no rented home of ours at this postcode and house number" +
                            std::string(entrance.empty() ? "" : " and entrance"));
  }
  RecordFacts facts;
  facts.tenancy_id = *tenancy_id;
  facts.reporter_user = ctx.actor().user;
  if (!ctx.allowed(HEARTH_ACTION_CREATE, HEARTH_DATA_NUISANCE, facts)) {
    throw Error(HEARTH_ERROR_DENIED, "actor: may not file nuisance reports");
  }
  // Noon UTC of the day the neighbour names, or now when that is still to come today.
  const std::int64_t occurred_ms = std::min<std::int64_t>(start_of(day) + 12 * 3600000LL, ctx.now());
  ingest_report_signal(ctx, data, category, external_id, *tenancy_id, occurred_ms);

  // The report row may already exist (the plugin's signal listener records it too, and a
  // repeat of this request may run at the same time): when the insert collides, the
  // second attempt finds the row.
  std::optional<Row> stored;
  bool repeated = false;
  for (int attempt = 0;; ++attempt) {
    try {
      ctx.transaction([&] {
        const auto seq = ctx.db().row("SELECT seq, tenancy_id FROM hearth_signal WHERE source = ? AND external_id = ?",
                                      {kFiledSource, external_id});
        if (!seq) {
          throw Error(HEARTH_ERROR_INTERNAL, "the report's signal is missing after it was stored");
        }
        if (ctx.db().scalar("SELECT COUNT(*) FROM ch_report_text WHERE signal_seq = ?", {seq->integer(0)}) > 0) {
          repeated = true; // a concurrent repeat of this request got here first
          return;
        }
        // False when the listener recorded the row first, possibly committing only after
        // this transaction began (PostgreSQL reads what is committed per statement): the
        // creation is then audited here, as this actor, exactly once either way.
        const bool recorded_here = record_report(ctx, seq->integer(0));
        ctx.db().run("INSERT INTO ch_report_text (signal_seq, reporter_user, category, description, request_sha256,"
                     " filed_ms) VALUES (?, ?, ?, ?, ?, ?)",
                     {seq->integer(0), ctx.actor().user, category_key, description, fingerprint, ctx.now()});
        stored = ctx.db().row(std::string(kReportColumns) + " WHERE r.signal_seq = ?", {seq->integer(0)});
        if (!stored) {
          throw Error(HEARTH_ERROR_INTERNAL, "the report is missing after it was recorded");
        }
        if (!recorded_here) {
          ctx.audit(HEARTH_ACTION_CREATE, "report:" + stored->text(0) + ",tenancy:" + stored->text(2), kPurpose);
        }
      });
      break;
    } catch (const Error &) {
      if (attempt > 0) throw;
      stored.reset();
      repeated = false;
    }
  }
  if (repeated) {
    const auto earlier = filed_report(ctx, external_id);
    if (!earlier) throw Error(HEARTH_ERROR_INTERNAL, "the report is missing after it was recorded");
    return repeat_of(*earlier);
  }
  return answer_with(*stored, false);
}

} // namespace

bool record_report(OperationContext &ctx, std::int64_t signal_seq) {
  const auto signal = ctx.db().row("SELECT tenancy_id, reporter_user, type FROM hearth_signal WHERE seq = ?", {signal_seq});
  if (!signal || signal->is_null(1) || signal->text(1).empty() ||
      !ctx.config().rules.report_types.contains(signal->text(2))) {
    return false;
  }
  if (ctx.db().scalar("SELECT COUNT(*) FROM ch_report WHERE signal_seq = ?", {signal_seq}) > 0) {
    return false;
  }
  const std::string tenancy_id = signal->text(0);
  const auto case_id = open_case_of_tenancy(ctx.db(), tenancy_id);
  const std::int64_t next =
      ctx.config().rules.calendar.add_working_days(ctx.now(), ctx.config().rules.report_update_every_working_days);
  const std::string id = "report-" + std::to_string(signal_seq);
  ctx.db().run("INSERT INTO ch_report (signal_seq, id, tenancy_id, reporter_user, case_id, status, received_ms,"
               " next_update_by_ms, updated_ms, closed_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)",
               {signal_seq, id, tenancy_id, signal->text(1), text_or_null(case_id),
                std::string(case_id ? "being_handled" : "received"), ctx.now(), next, ctx.now()});
  ctx.audit(HEARTH_ACTION_CREATE, "report:" + id + ",tenancy:" + tenancy_id, kPurpose);
  return true;
}

void add_report_operations(std::vector<Operation> &out) {
  out.push_back({"report.file", HEARTH_ACTION_CREATE, report_file});
  out.push_back({"report.mine", HEARTH_ACTION_READ, report_mine});
  out.push_back({"report.get", HEARTH_ACTION_READ, report_get});
  out.push_back({"report.update", HEARTH_ACTION_UPDATE, report_update});
}

} // namespace hearth::handoff
