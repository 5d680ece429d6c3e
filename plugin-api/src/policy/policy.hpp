// The policy service: a role x action x data-class matrix from config/policy.ini plus
// record rules, denied by default. Pure logic: no storage, no audit (callers audit).
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace hearth::policy {

enum class Action { create, read, update, delete_, search, export_ };
enum class DataClass { contact, housing, finance, nuisance, care, case_plan };

// Parses "read" / "care" ... (the HEARTH_ACTION_* / HEARTH_DATA_* names, exact case);
// nullopt for an unknown name.
std::optional<Action> parse_action(std::string_view name);
std::optional<DataClass> parse_data_class(std::string_view name);
// The ABI name of an action or data class ("delete", "case_plan").
const char *name_of(Action action);
const char *name_of(DataClass data_class);
// Every action / data class, in declaration order (for walking the matrix).
const std::vector<Action> &all_actions();
const std::vector<DataClass> &all_data_classes();
const std::vector<std::string> &known_roles(); // the eight role ids of hearth/actor.h
// True when `role` is one of known_roles() (exact case).
bool is_known_role(std::string_view role);

struct Actor {
  std::string user, role, organisation, on_behalf_of, access_point;
  bool emergency = false;
};

// What is known of the record (see hearth_record_context in hearth/policy.h).
struct RecordContext {
  std::optional<std::string> tenancy_id, portfolio_owner, tenant_user, reporter_user;
  std::vector<std::string> case_members;
  bool care_basis_recorded = false;
};

struct Decision {
  bool allowed = false;
  std::string reason; // why denied (or which grant allowed), never personal data
};

class Policy {
public:
  // Reads the [matrix] and [rules] sections of a policy INI file (format documented in
  // config/policy.ini). Throws std::invalid_argument naming file, key and reason for an
  // unknown role, action or data class, a key of another shape or section, a missing
  // [matrix], a forbidden or unknown role in bsn_roles, or a file that cannot be read.
  static Policy from_file(const std::filesystem::path &file);
  // The same for INI text; `origin` stands in for the file name in error messages.
  static Policy from_string(const std::string &ini_text, const std::string &origin);

  // Matrix first (no grant -> deny), then record rules:
  //  - tenant: only records of the tenancy whose tenant_user is the actor;
  //  - neighbour: only reports whose reporter_user is the actor;
  //  - housing_consultant: only tenancies whose portfolio_owner is the actor;
  //  - care_professional, coordinator: only records of a case whose case_members include
  //    the actor (cases come from the coordinator-handoff plugin);
  //  - care data: only care_professional/coordinator roles that are case members (or the
  //    portfolio owner for coordinators), and only with care_basis_recorded;
  //  - emergency access widens nothing by itself; it is recorded by the audit log.
  // A record rule that needs a field the context lacks (or an empty one) denies, as does
  // an actor without a user id. Roles without a rule above (coordinator and
  // care_professional outside care, system) get what the matrix grants.
  Decision check(const Actor &actor, Action action, DataClass data_class,
                 const std::optional<RecordContext> &record) const;

  // True when the matrix grants role/action/data class (ignoring record rules).
  bool granted(const std::string &role, Action action, DataClass data_class) const;

  // Roles allowed to see a BSN at all ([rules] bsn_roles); housing_consultant and
  // neighbour can never be among them (from_file refuses).
  const std::set<std::string> &bsn_roles() const { return bsn_roles_; }

private:
  std::map<std::string, std::map<DataClass, std::set<Action>>> grants_;
  std::set<std::string> bsn_roles_;
};

} // namespace hearth::policy
