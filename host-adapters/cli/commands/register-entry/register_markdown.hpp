// An algorithm-register entry (the early-warning plugin's register-entry answer) as
// Markdown with the field names of the Dutch Algoritmeregister publication standard.
#pragma once

#include <string>

#include <Poco/JSON/Object.h>

namespace hearth::cli {

std::string register_markdown(const Poco::JSON::Object::Ptr &entry);

} // namespace hearth::cli
