#include "command_actor.hpp"

#include "cli_errors.hpp"

namespace hearth::cli {

CommandActor::CommandActor(const CommandOptions &options, const char *role, const std::string &default_user)
    : user_(options.value("--user").value_or(default_user)),
      organisation_(options.value("--organisation").value_or("local")) {
  if (user_.empty() || organisation_.empty()) {
    throw UsageError("--user and --organisation need a value");
  }
  actor_.struct_size = sizeof actor_;
  actor_.user = user_.c_str();
  actor_.role = role;
  actor_.organisation = organisation_.c_str();
  actor_.access_point = "cli";
}

} // namespace hearth::cli
